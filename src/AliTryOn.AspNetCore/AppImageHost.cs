using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.AspNetCore.Configuration;
using AliTryOn.AspNetCore.Diagnostics;
using AliTryOn.AspNetCore.Signing;
using AliTryOn.AspNetCore.Storage;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AliTryOn.AspNetCore;

/// <summary>
/// An image host that is your own ASP.NET Core app: published images are kept in an <see cref="IDistributedCache"/> (or a
/// folder) and served by the app itself, through <c>app.MapTryOnImages()</c>, at signed URLs that expire with the image.
/// </summary>
/// <remarks>
/// <para>
/// Use it when the app is reachable from the internet (the try-on service downloads the images from
/// <see cref="AppImageHostOptions.PublicBaseUrl"/>) and you would rather not run object storage. Register it with
/// <c>services.AddTryOnAppImageHost()</c>, which makes it the <see cref="TryOnImageHost"/> of every
/// <see cref="TryOnClient"/> from dependency injection, and map the endpoint with <c>app.MapTryOnImages()</c>.
/// </para>
/// <para>
/// An image's URL is <c>{PublicBaseUrl}{Path}/{key}?expires={unix seconds}&amp;sig={signature}</c>, where the signature is
/// the HMAC-SHA256 under <see cref="AppImageHostOptions.SigningKey"/> of the key and the expiry, in base64url. The
/// endpoint serves an image only with a valid signature before its expiry; the image itself is removed when its job ends
/// (<see cref="DeleteAsync"/>) and, in a cache, expires with its URL.
/// </para>
/// <para>Safe to use concurrently. <see cref="ToString"/> never shows the signing key.</para>
/// </remarks>
public sealed class AppImageHost : TryOnImageHost
{
    internal const string NoCacheMessage =
        "AppImageHost keeps images in an IDistributedCache unless AliTryOn:Images:App:FolderPath is set, and no IDistributedCache is registered. "
        + "For a single instance of the app, add services.AddDistributedMemoryCache(); when several instances serve the app, register one cache they all share, "
        + "such as Redis (services.AddStackExchangeRedisCache, from the Microsoft.Extensions.Caching.StackExchangeRedis package), so that each serves the others' images. "
        + "Or set FolderPath to keep the images in a folder.";

    private const string NotAKeyMessage = "The image key is not in the form {32 hex digits}/{64 hex digits}.{jpg|png|webp|bmp|gif} that TryOnClient makes.";

    private readonly string _urlPrefix;

    /// <summary>A host over <paramref name="cache"/>, or over the folder <see cref="AppImageHostOptions.FolderPath"/> when it is set.</summary>
    /// <param name="options">The settings; copied, so later changes to the object do not reach this host.</param>
    /// <param name="cache">Where images are kept when <see cref="AppImageHostOptions.FolderPath"/> is not set; shared by every instance of the app behind a load balancer.</param>
    /// <param name="timeProvider">The clock for expiries: the app's (so the endpoint and the host agree). Default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where logs go; optional. Nothing logged carries the signing key or a signature.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message names each setting, never the key.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="AppImageHostOptions.FolderPath"/> and no <paramref name="cache"/>; the message says how to add one.</exception>
    /// <exception cref="System.IO.IOException">The folder cannot be created.</exception>
    public AppImageHost(AppImageHostOptions options, IDistributedCache? cache = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = AppImageHostOptionsValidator.Code.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException("The AppImageHost options are invalid: " + string.Join(" ", failures), nameof(options));
        }

        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AppImageHost>();
        PublicBaseUrl = options.PublicBaseUrl!;
        Path = options.Path;
        Signer = new ImageUrlSigner(options.SigningKey!);
        Store = options.FolderPath is { } folder
            ? new FolderImageStore(folder, TimeProvider, Logger)
            : new DistributedCacheImageStore(cache ?? throw new InvalidOperationException(NoCacheMessage));
        _urlPrefix = PublicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + Path + "/";
    }

    internal Uri PublicBaseUrl { get; }

    /// <summary>The route prefix the endpoint serves by default.</summary>
    internal string Path { get; }

    internal ImageUrlSigner Signer { get; }

    internal IAppImageStore Store { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    /// <summary>Keeps <paramref name="image"/> until its expiry and returns its signed URL below <see cref="AppImageHostOptions.PublicBaseUrl"/>.</summary>
    /// <param name="image">The image; its key must be in the form <see cref="TryOnClient"/> makes (<c>{32 hex}/{64 hex}.{jpg|png|webp|bmp|gif}</c>).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns><c>{PublicBaseUrl}{Path}/{key}?expires={unix seconds}&amp;sig={signature}</c>, which works until <see cref="TryOnImageUpload.ExpiresAt"/> (rounded up to the second).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is not in the client's form, the content type does not match its extension, or the expiry has passed.</exception>
    /// <exception cref="Exception">Whatever the cache or the file system throws; the client wraps it in a <see cref="TryOnImagePublishException"/>.</exception>
    public override async Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!ImageKey.TryParse(image.Key, out var contentType))
        {
            throw new ArgumentException(NotAKeyMessage, nameof(image));
        }

        if (!string.Equals(contentType, image.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The content type '{image.ContentType}' does not match the key's extension, which stands for {contentType}.", nameof(image));
        }

        var expires = UnixSecondsRoundedUp(image.ExpiresAt);
        var until = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (until <= TimeProvider.GetUtcNow())
        {
            throw new ArgumentException("The image's ExpiresAt has passed: there is nothing to publish it for.", nameof(image));
        }

        await Store.SaveAsync(image.Key, image.Content, until, cancellationToken).ConfigureAwait(false);
        Log.Published(Logger, image.Key, image.Content.Length, Store.Description, until);
        return new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"{_urlPrefix}{image.Key}?expires={expires}&sig={Signer.Sign(image.Key, expires)}"));
    }

    /// <summary>Removes an image published earlier: its URL answers 404 from then on.</summary>
    /// <param name="key">The <see cref="TryOnImageUpload.Key"/> it was published with.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task that completes when the image is gone (or was never there).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not in the client's form, so this host never published it (nothing is touched).</exception>
    /// <exception cref="Exception">Whatever the cache or the file system throws; the client logs it and goes on.</exception>
    public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!ImageKey.TryParse(key, out _))
        {
            throw new ArgumentException(NotAKeyMessage, nameof(key));
        }

        await Store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        Log.Deleted(Logger, key);
    }

    /// <summary>Describes the host: its public address, path and storage, never the signing key.</summary>
    /// <returns>For example <c>AppImageHost { PublicBaseUrl = https://shop.example.com/, Path = /tryon-images, Storage = IDistributedCache (RedisCache) }</c>.</returns>
    public override string ToString() =>
        $"AppImageHost {{ PublicBaseUrl = {AppImageHostOptions.Show(PublicBaseUrl)}, Path = {Path}, Storage = {Store.Description} }}";

    /// <summary>The expiry in whole Unix seconds, never earlier than <paramref name="expiresAt"/>.</summary>
    private static long UnixSecondsRoundedUp(DateTimeOffset expiresAt)
    {
        var seconds = expiresAt.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds) < expiresAt ? seconds + 1 : seconds;
    }
}
