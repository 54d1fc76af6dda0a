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
    /// The largest image accepted, in bytes. Default: <see cref="DefaultMaxBytes"/> (20 MiB). Positive, at most
    /// <see cref="int.MaxValue"/>. Checked against <c>Content-Length</c> before the body is read and again while it
    /// arrives; a larger image raises <see cref="TryOnDownloadTooLargeException"/>. An image is held in memory until
    /// it is complete, so this also bounds the memory of one download.
    /// </summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>
    /// Receives the bytes received so far, and the total when the response declared it, as each image arrives.
    /// Default: <see langword="null"/> (no reports). An attempt that is retried starts again from 0.
    /// </summary>
    public IProgress<TryOnDownloadProgress>? Progress { get; init; }
}
