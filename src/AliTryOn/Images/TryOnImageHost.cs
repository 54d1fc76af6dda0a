using System;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn;

/// <summary>
/// Publishes local images (files, streams, bytes) at URLs the service can download, and removes them afterwards. The
/// client uses its host before every submit with an image that is not a URL, once per distinct image.
/// </summary>
/// <remarks>
/// Hosts in the AliTryOn packages: <c>S3ImageHost</c> (AliTryOn.S3: Alibaba Cloud OSS, AWS S3, MinIO and other
/// S3-compatible stores), <c>AppImageHost</c> (AliTryOn.AspNetCore: your own app serves them at signed, expiring URLs),
/// and the emulator's in-memory host (AliTryOn.Testing). Implement this class for any other storage. Implementations
/// must be safe to call concurrently; they never receive a credential of the try-on API.
/// </remarks>
public abstract class TryOnImageHost
{
    /// <summary>Stores <paramref name="image"/> and returns a URL anyone can <c>GET</c> it from until <see cref="TryOnImageUpload.ExpiresAt"/>.</summary>
    /// <param name="image">The image, its key and how long its URL must work.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>An absolute <c>http</c> or <c>https</c> URL that needs no other credential than what it carries.</returns>
    /// <exception cref="Exception">Whatever the storage throws; the client wraps it in a <see cref="TryOnImagePublishException"/>.</exception>
    public abstract Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default);

    /// <summary>Removes an image published earlier. The default does nothing (for stores that expire images themselves).</summary>
    /// <param name="key">The <see cref="TryOnImageUpload.Key"/> it was published with.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task that completes when the image is gone (or was never there).</returns>
    /// <exception cref="Exception">Whatever the storage throws; the client logs it and goes on.</exception>
    public virtual Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
