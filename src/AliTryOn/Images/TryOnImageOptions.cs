using System;
using System.Globalization;

namespace AliTryOn;

/// <summary>
/// How the client checks and publishes the images of a task. Section <c>AliTryOn:Images</c> in configuration.
/// </summary>
public sealed class TryOnImageOptions
{
    /// <summary>The shortest side the service accepts, in pixels.</summary>
    public const int MinSide = 400;

    /// <summary>The longest side the service accepts, in pixels.</summary>
    public const int MaxSide = 4096;

    /// <summary>The default of <see cref="MaxBytes"/>: 10 MiB.</summary>
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>
    /// How long a published image's URL works: at least as long as a job can take. Default: 1 hour. From 1 minute to 7 days
    /// (the longest a presigned S3 URL can be), and no shorter than <see cref="TryOnPollingOptions.Timeout"/> when that is finite.
    /// </summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>What becomes of published images after their job. Default: <see cref="TryOnImageCleanup.DeleteAfterCompletion"/>.</summary>
    public TryOnImageCleanup Cleanup { get; set; } = TryOnImageCleanup.DeleteAfterCompletion;

    /// <summary>
    /// The largest local image the client publishes, in bytes. Default: <see cref="DefaultMaxBytes"/> (10 MiB), a cap the
    /// vendor does not state, chosen well above a 4096 px JPEG. From 1 to 100 MiB.
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// Whether URL images are checked before the submit too: a ranged <c>GET</c> of their first 64 KiB, with no credential,
    /// must answer with an image whose format and sides the service accepts. Default: <see langword="false"/> (one extra
    /// request per distinct URL; the service fetches them anyway).
    /// </summary>
    public bool CheckUrls { get; set; }

    /// <summary>
    /// How long publishing the local images of one submit may take, every upload to the image host together (they run a
    /// few at a time). Default: 2 minutes. Positive and at most 24 days, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// (<c>infinite</c> in configuration) for no limit. When it runs out, the uploads still going are cancelled, the
    /// images already published for the submit are deleted, and the submit fails with
    /// <see cref="TryOnImagePublishException"/> before anything is sent: nothing is billed.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc/>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "UrlLifetime = {0}, Cleanup = {1}, MaxBytes = {2}, CheckUrls = {3}, PublishTimeout = {4}",
        UrlLifetime,
        Cleanup,
        MaxBytes,
        CheckUrls,
        PublishTimeout);
}
