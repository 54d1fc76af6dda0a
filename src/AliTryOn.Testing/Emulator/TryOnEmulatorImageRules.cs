using System;
using System.Collections.Concurrent;

namespace AliTryOn.Testing;

/// <summary>
/// How the emulator treats particular image URLs, as the real service would treat real images: unreachable,
/// rejected by moderation, not meeting the rules, or failing generation. Unlisted URLs are fine. Thread-safe.
/// </summary>
public sealed class TryOnEmulatorImageRules
{
    private readonly ConcurrentDictionary<string, ImageVerdict> _verdicts = new(StringComparer.Ordinal);

    /// <summary>A submit naming this URL fails with HTTP 400, code 23500006 (cannot download the image).</summary>
    /// <param name="url">The image URL, as it will be submitted.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is null, empty or whitespace.</exception>
    public void MarkUnreachable(string url) => Set(url, ImageVerdict.Unreachable);

    /// <summary>A submit naming this URL fails with HTTP 403, code 23500005 (content moderation).</summary>
    /// <param name="url">The image URL, as it will be submitted.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is null, empty or whitespace.</exception>
    public void MarkContentRejected(string url) => Set(url, ImageVerdict.ContentRejected);

    /// <summary>A submit naming this URL fails with HTTP 400, code 23500007 (size, format or pose rules).</summary>
    /// <param name="url">The image URL, as it will be submitted.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is null, empty or whitespace.</exception>
    public void MarkInvalid(string url) => Set(url, ImageVerdict.Invalid);

    /// <summary>A submit naming this URL succeeds, and the task using it ends <c>FAILED</c>.</summary>
    /// <param name="url">The image URL, as it will be submitted.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is null, empty or whitespace.</exception>
    public void MarkGenerationFailure(string url) => Set(url, ImageVerdict.GenerationFailure);

    /// <summary>A submit naming this URL fails with HTTP 400, code 23500006 (cannot download the image).</summary>
    /// <param name="url">The image URL, as the task holds it (the client submits its <see cref="Uri.AbsoluteUri"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    public void MarkUnreachable(Uri url) => MarkUnreachable(Submitted(url));

    /// <summary>A submit naming this URL fails with HTTP 403, code 23500005 (content moderation).</summary>
    /// <param name="url">The image URL, as the task holds it (the client submits its <see cref="Uri.AbsoluteUri"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    public void MarkContentRejected(Uri url) => MarkContentRejected(Submitted(url));

    /// <summary>A submit naming this URL fails with HTTP 400, code 23500007 (size, format or pose rules).</summary>
    /// <param name="url">The image URL, as the task holds it (the client submits its <see cref="Uri.AbsoluteUri"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    public void MarkInvalid(Uri url) => MarkInvalid(Submitted(url));

    /// <summary>A submit naming this URL succeeds, and the task using it ends <c>FAILED</c>.</summary>
    /// <param name="url">The image URL, as the task holds it (the client submits its <see cref="Uri.AbsoluteUri"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    public void MarkGenerationFailure(Uri url) => MarkGenerationFailure(Submitted(url));

    /// <summary>Forgets every rule.</summary>
    public void Clear() => _verdicts.Clear();

    internal ImageVerdict Verdict(string url) => _verdicts.TryGetValue(url, out var verdict) ? verdict : ImageVerdict.Fine;

    private static string Submitted(Uri url) =>
        (url ?? throw new ArgumentNullException(nameof(url))).IsAbsoluteUri
            ? url.AbsoluteUri
            : throw new ArgumentException($"An image URL must be absolute; '{url.OriginalString}' is not.", nameof(url));

    private void Set(string url, ImageVerdict verdict)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException("An image URL is required.", nameof(url));
        }

        _verdicts[url] = verdict;
    }
}
