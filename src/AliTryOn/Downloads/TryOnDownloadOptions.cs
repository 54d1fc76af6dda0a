using System;

namespace AliTryOn;

/// <summary>
/// Per-call settings of the result downloads: <see cref="TryOnClient.DownloadResultAsync(Uri, System.IO.Stream, TryOnDownloadOptions?, System.Threading.CancellationToken)"/>,
/// <see cref="TryOnClient.DownloadResultToFileAsync(Uri, string, TryOnDownloadOptions?, System.Threading.CancellationToken)"/> and
/// <see cref="TryOnClient.DownloadResultsAsync(TryOnJob, string, TryOnDownloadOptions?, System.Threading.CancellationToken)"/>.
/// </summary>
public sealed record TryOnDownloadOptions
{
    /// <summary>The default of <see cref="MaxBytes"/>: 20 MiB.</summary>
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    /// <summary>
    /// The default of <see cref="MaxConcurrency"/>: 4 downloads at once. A job's images are small and the wait for
    /// each is mostly the storage host's latency, so a few at once cut a job's download time about fourfold; a task
    /// has 4 results by default, and 4 connections to one host stay well within what object storage serves one client.
    /// </summary>
    public const int DefaultMaxConcurrency = 4;

    /// <summary>The largest <see cref="MaxConcurrency"/> accepted: 64 downloads at once.</summary>
    public const int MaxConcurrencyLimit = 64;

    /// <summary>
    /// The largest image accepted, in bytes. Default: <see cref="DefaultMaxBytes"/> (20 MiB). Positive, at most
    /// <see cref="int.MaxValue"/>. Checked against <c>Content-Length</c> before the body is read and again while it
    /// arrives; a larger image raises <see cref="TryOnDownloadTooLargeException"/>. Images are streamed to their file
    /// (or to a stream that can be truncated back) in chunks of 80 KiB, so memory does not grow with this limit; only
    /// a destination stream that is not seekable, or not at its end, receives an image held in memory until complete.
    /// </summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>
    /// How many images <see cref="TryOnClient.DownloadResultsAsync(TryOnJob, string, TryOnDownloadOptions?, System.Threading.CancellationToken)"/>
    /// downloads at once. Default: <see cref="DefaultMaxConcurrency"/> (4); from 1 (one after another) to
    /// <see cref="MaxConcurrencyLimit"/> (64). Each
    /// download in flight holds one connection to the storage host and one 80 KiB buffer. (On .NET Framework, the
    /// transport's own limit of connections per host, <c>ServicePointManager.DefaultConnectionLimit</c>, applies too.)
    /// </summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>
    /// Receives the bytes received so far, and the total when the response declared it, as each image arrives.
    /// Default: <see langword="null"/> (no reports). An attempt that is retried starts again from 0. When a job's
    /// images are downloaded several at once, their reports interleave; each carries its task and result index.
    /// </summary>
    public IProgress<TryOnDownloadProgress>? Progress { get; init; }
}
