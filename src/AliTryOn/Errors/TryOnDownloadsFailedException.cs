using System;
using System.Collections.Generic;
using System.Linq;

namespace AliTryOn;

/// <summary>
/// Some result images of a job could not be downloaded by
/// <see cref="TryOnClient.DownloadResultsAsync(TryOnJob, string, TryOnDownloadOptions?, System.Threading.CancellationToken)"/>:
/// every image was attempted, the others were saved (whole, and they stay), and each failure is listed with its task
/// and result index and its own typed exception.
/// </summary>
/// <remarks>
/// The message names how many failed and why, with each link shown without its query string (its signature). The
/// inner exception is the first failure's. <see cref="TryOnException.ResultKey"/> names the job.
/// </remarks>
public sealed class TryOnDownloadsFailedException : TryOnDownloadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The sentence for a person.</param>
    /// <param name="saved">The images saved, in task and result order.</param>
    /// <param name="failures">The images that could not be downloaded, in task and result order; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="saved"/> or <paramref name="failures"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="failures"/> is empty.</exception>
    public TryOnDownloadsFailedException(string message, IReadOnlyList<TryOnDownloadedImage> saved, IReadOnlyList<TryOnDownloadFailure> failures)
        : base(message, details: null, First(failures))
    {
        Saved = saved ?? throw new ArgumentNullException(nameof(saved));
        Failures = failures;
    }

    /// <summary>The images that were saved, in task and result order; their files are complete.</summary>
    public IReadOnlyList<TryOnDownloadedImage> Saved { get; }

    /// <summary>Each image that could not be downloaded, in task and result order, with its own exception.</summary>
    public IReadOnlyList<TryOnDownloadFailure> Failures { get; }

    /// <summary>
    /// <see langword="true"/> when every failure is a <see cref="TryOnException"/> that is itself retryable (a lost
    /// connection, a timeout, HTTP 429 or 5xx): downloading the job again may then succeed.
    /// </summary>
    public override bool IsRetryable => Failures.All(static f => f.Exception is TryOnException { IsRetryable: true });

    private static Exception First(IReadOnlyList<TryOnDownloadFailure> failures)
    {
        if (failures is null)
        {
            throw new ArgumentNullException(nameof(failures));
        }

        return failures.Count > 0 ? failures[0].Exception : throw new ArgumentException("At least one failure is needed.", nameof(failures));
    }
}
