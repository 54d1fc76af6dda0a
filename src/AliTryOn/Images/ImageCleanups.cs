using System.Collections.Concurrent;
using System.Collections.Generic;

namespace AliTryOn.Images;

/// <summary>
/// The images published for jobs not yet seen finished, by result key: shared by every client of one registration (DI
/// clients are transient), so the client that sees a job end deletes its images whichever one submitted it.
/// </summary>
internal sealed class ImageCleanups
{
    private readonly ConcurrentDictionary<string, PublishedImages> _pending = new(System.StringComparer.Ordinal);

    /// <summary>Whether any job's images wait for it to end: the query path checks this first, so it costs nothing otherwise.</summary>
    public bool IsEmpty => _pending.IsEmpty;

    /// <summary>The jobs whose images wait for them to end.</summary>
    public int Count => _pending.Count;

    public void Add(string resultKey, PublishedImages images) => _pending[resultKey] = images;

    public bool TryTake(string resultKey, out PublishedImages? images) => _pending.TryRemove(resultKey, out images);

    /// <summary>The keys of the images that wait for <paramref name="resultKey"/> to end; none when no images wait for it.</summary>
    public IReadOnlyList<string> KeysOf(string resultKey) => _pending.TryGetValue(resultKey, out var images) ? images.Keys : [];
}
