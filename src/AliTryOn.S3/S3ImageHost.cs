using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.S3.Configuration;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AliTryOn.S3;

/// <summary>
/// Publishes the client's local images to an S3-compatible bucket (Alibaba Cloud OSS, AWS S3, MinIO…) and hands the
/// service a presigned <c>GET</c> URL (Signature Version 4) that works until the image's
/// <see cref="TryOnImageUpload.ExpiresAt"/>; deletes them when the client is done with them.
/// </summary>
/// <remarks>
/// <para>
/// Each image goes to <c>{KeyPrefix}{key}</c> with its content type, then a URL presigned for that object alone is
/// returned; the bucket can stay private. Presigned URLs (SigV4) last at most <see cref="MaxUrlLifetime"/> (7 days), so
/// <see cref="TryOnImageOptions.UrlLifetime"/> must not be longer; with temporary credentials (an STS session, an
/// instance role) a URL also stops working when the session ends. Every presigned URL carries the access key ID (not
/// the secret), as SigV4 requires: use a key whose rights are limited to the prefix.
/// </para>
/// <para>
/// Thread-safe. Errors of the store (<see cref="AmazonS3Exception"/>, <see cref="AmazonClientException"/>) propagate
/// unchanged; the client wraps a failed upload in a <see cref="TryOnImagePublishException"/> and logs a failed deletion.
/// No message this class writes contains a credential.
/// </para>
/// </remarks>
public sealed class S3ImageHost : TryOnImageHost, IDisposable
{
    /// <summary>The longest a presigned URL (Signature Version 4) can work: 7 days, on S3, OSS and MinIO alike.</summary>
    public static TimeSpan MaxUrlLifetime { get; } = TimeSpan.FromDays(7);

    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly string _bucketName;
    private readonly string _keyPrefix;
    private readonly Protocol _protocol;
    private readonly string _endpoint;

    /// <summary>Creates a host that stores images through an S3 client you configured and own.</summary>
    /// <param name="s3">
    /// The client; not disposed by this host. The host uploads without aws-chunked encoding whatever the client's
    /// settings; for a store other than AWS S3, also set <c>RequestChecksumCalculation.WHEN_REQUIRED</c> on it, so no
    /// checksum headers the store may not know are sent (<see cref="Create(S3ImageHostOptions)"/> does both).
    /// </param>
    /// <param name="options">
    /// The bucket and key prefix; copied. The settings that reach the store (<see cref="S3ImageHostOptions.ServiceUrl"/>,
    /// credentials…) are not used: <paramref name="s3"/> has its own.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="s3"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The bucket name or key prefix is invalid; the message names each.</exception>
    public S3ImageHost(IAmazonS3 s3, S3ImageHostOptions options)
        : this(s3 ?? throw new ArgumentNullException(nameof(s3)), Validated(options, connection: false), ownsClient: false)
    {
    }

    private S3ImageHost(IAmazonS3 s3, S3ImageHostOptions options, bool ownsClient)
    {
        _s3 = s3;
        _ownsClient = ownsClient;
        _bucketName = options.BucketName!;
        _keyPrefix = options.KeyPrefix;
        var serviceUrl = s3.Config.ServiceURL is { Length: > 0 } text && Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null;

        // The presigned URL's scheme: the SDK's own default is https, whatever the endpoint is.
        _protocol = serviceUrl is not null
            ? serviceUrl.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS
            : s3.Config.UseHttp ? Protocol.HTTP : Protocol.HTTPS;
        _endpoint = serviceUrl is not null
            ? S3Display.Endpoint(serviceUrl)
            : "AWS S3" + (s3.Config.RegionEndpoint is { } region ? " (" + region.SystemName + ")" : string.Empty);
    }

    /// <summary>The bucket the images are stored in.</summary>
    public string BucketName => _bucketName;

    /// <summary>What every object key starts with.</summary>
    public string KeyPrefix => _keyPrefix;

    /// <summary>
    /// Creates a host with an S3 client of its own, made from <paramref name="options"/>: for setups from configuration
    /// alone. The host disposes that client when it is disposed.
    /// </summary>
    /// <param name="options">The bucket, key prefix, endpoint, region and credentials; copied.</param>
    /// <returns>A host whose client addresses the store as <paramref name="options"/> say, uploads without aws-chunked
    /// encoding or trailing checksums (which OSS and several S3-compatible stores refuse), and uses the AWS SDK's default
    /// credential chain unless <see cref="S3ImageHostOptions.AccessKeyId"/> is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one and quotes no credential.</exception>
    /// <exception cref="AmazonClientException">The AWS SDK could not set up the client (no region or credentials could be found).</exception>
    public static S3ImageHost Create(S3ImageHostOptions options) => Create(options, configureClient: null);

    /// <summary>As <see cref="Create(S3ImageHostOptions)"/>, with the client's configuration changed by <paramref name="configureClient"/> last (tests: a recording HTTP client factory).</summary>
    internal static S3ImageHost Create(S3ImageHostOptions options, Action<AmazonS3Config>? configureClient) =>
        new(S3ClientFactory.Create(Validated(options, connection: true), configureClient), options, ownsClient: true);

    /// <summary>Uploads <paramref name="image"/> to <c>{KeyPrefix}{image.Key}</c>, then presigns a <c>GET</c> of it.</summary>
    /// <param name="image">The image, its key, content type and how long its URL must work.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>A presigned <c>GET</c> URL of the object that works until at least <see cref="TryOnImageUpload.ExpiresAt"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The key is empty or too long, or <see cref="TryOnImageUpload.ExpiresAt"/> has passed or is more than
    /// <see cref="MaxUrlLifetime"/> away (by the system clock, which the signature uses); nothing was uploaded.
    /// </exception>
    /// <exception cref="AmazonS3Exception">The store refused the upload (no such bucket, access denied…).</exception>
    /// <exception cref="AmazonClientException">The store could not be reached, or no credentials could be found.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override async Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        if (image is null)
        {
            throw new ArgumentNullException(nameof(image));
        }

        var key = ObjectKey(image.Key, nameof(image));
        var expires = PresignedExpiry(image.ExpiresAt, DateTimeOffset.UtcNow);
        using (var content = ContentStream(image.Content))
        {
            var put = new PutObjectRequest
            {
                BucketName = _bucketName,
                Key = key,
                InputStream = content,
                ContentType = image.ContentType,
                AutoCloseStream = false,
                // One signed body rather than aws-chunked encoding, which OSS and several S3-compatible stores refuse or store as is.
                UseChunkEncoding = false,
            };
            await _s3.PutObjectAsync(put, cancellationToken).ConfigureAwait(false);
        }

        var presign = new GetPreSignedUrlRequest
        {
            BucketName = _bucketName,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expires,
            Protocol = _protocol,
        };
        return new Uri(await _s3.GetPreSignedURLAsync(presign).ConfigureAwait(false));
    }

    /// <summary>Deletes the object of <paramref name="key"/>; an object already gone is not an error.</summary>
    /// <param name="key">The <see cref="TryOnImageUpload.Key"/> the image was published with (without the prefix).</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task that completes when the object is gone.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or too long.</exception>
    /// <exception cref="AmazonS3Exception">The store refused the deletion (access denied, no such bucket…).</exception>
    /// <exception cref="AmazonClientException">The store could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key, nameof(key));
        try
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucketName, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound && missing.ErrorCode == "NoSuchKey")
        {
            // S3 answers 204 for a missing key; some compatible stores answer 404 NoSuchKey. Either way it is gone.
        }
    }

    /// <summary>Disposes the S3 client when this host created it (<see cref="Create(S3ImageHostOptions)"/>); a client you passed in stays yours.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }

    /// <summary>Names the store, bucket and prefix; never a credential.</summary>
    /// <returns>For example <c>S3ImageHost { Endpoint = https://s3.oss-cn-hangzhou.aliyuncs.com, BucketName = images, KeyPrefix = tryon-images/ }</c>.</returns>
    public override string ToString() => $"S3ImageHost {{ Endpoint = {_endpoint}, BucketName = {_bucketName}, KeyPrefix = {_keyPrefix} }}";

    /// <summary>
    /// The <see cref="GetPreSignedUrlRequest.Expires"/> that makes a URL signed at <paramref name="now"/> work until at
    /// least <paramref name="expiresAt"/>: the signature counts whole seconds from its time truncated to the second, so
    /// the lifetime is rounded up and one second added, never past <see cref="MaxUrlLifetime"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="expiresAt"/> is not in the future, or is more than 7 days away.</exception>
    internal static DateTime PresignedExpiry(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var lifetime = expiresAt - now;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"The image's URL must work until {Format(expiresAt)}, which has passed (the system clock, which signs the URL, reads {Format(now)}). Nothing was uploaded.",
                "image");
        }

        if (lifetime > MaxUrlLifetime)
        {
            throw new ArgumentException(
                $"The image's URL must work until {Format(expiresAt)}, {lifetime.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days from now, and presigned S3 URLs work 7 days at most: set TryOnImageOptions.UrlLifetime to 7 days or less. Nothing was uploaded.",
                "image");
        }

        var seconds = Math.Min(Math.Ceiling(lifetime.TotalSeconds) + 1, MaxUrlLifetime.TotalSeconds);
        return now.UtcDateTime.AddSeconds(seconds);
    }

    private string ObjectKey(string key, string paramName)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("The image key is empty.", paramName);
        }

        var objectKey = _keyPrefix + key;
        if (Encoding.UTF8.GetByteCount(objectKey) > 1024)
        {
            throw new ArgumentException($"The object key of '{key}' would be longer than 1,024 bytes, the most S3 allows: shorten the KeyPrefix.", paramName);
        }

        return objectKey;
    }

    private static MemoryStream ContentStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static S3ImageHostOptions Validated(S3ImageHostOptions options, bool connection)
    {
        S3ImageHostOptionsValidator.ThrowIfInvalid(options, nameof(options), connection);
        return options;
    }
}
