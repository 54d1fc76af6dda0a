using System;
using System.Globalization;
using AliTryOn.S3.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.S3;

/// <summary>
/// Settings of an <see cref="S3ImageHost"/>: the bucket and key prefix the images go to, and, for a host that creates
/// its own S3 client (<see cref="S3ImageHost.Create(S3ImageHostOptions)"/>, <c>services.AddTryOnS3ImageHost()</c>), how to reach the store.
/// Bound from the configuration section <see cref="SectionName"/> (<c>AliTryOn:Images:S3</c>), or set in code.
/// </summary>
/// <remarks>
/// <para>A host copies these values when it is created; changing the object afterwards does not change that host.
/// <see cref="ToString"/> never shows <see cref="AccessKeyId"/> or <see cref="SecretAccessKey"/>.</para>
/// <para>
/// Alibaba Cloud OSS: <see cref="ServiceUrl"/> <c>https://s3.oss-cn-hangzhou.aliyuncs.com</c>, <see cref="Region"/>
/// <c>cn-hangzhou</c>, <see cref="ForcePathStyle"/> <see langword="false"/> (OSS refuses path-style requests). AWS S3:
/// <see cref="Region"/> only. MinIO and other self-hosted stores: <see cref="ServiceUrl"/> and
/// <see cref="ForcePathStyle"/> <see langword="true"/>.
/// </para>
/// </remarks>
public sealed class S3ImageHostOptions
{
    /// <summary>The conventional configuration section: <c>AliTryOn:Images:S3</c>.</summary>
    public const string SectionName = "AliTryOn:Images:S3";

    /// <summary>The default of <see cref="KeyPrefix"/>: <c>tryon-images/</c>.</summary>
    public const string DefaultKeyPrefix = "tryon-images/";

    /// <summary>
    /// The bucket the images are stored in. Required: no default. It must exist; the host never creates it. Keep it
    /// private: the service reads each image through a presigned URL, so no public read access is needed.
    /// </summary>
    public string? BucketName { get; set; }

    /// <summary>
    /// What every object key starts with, before the client's own <c>{folder}/{sha256}.{ext}</c>. Default:
    /// <see cref="DefaultKeyPrefix"/> (<c>tryon-images/</c>). May be empty; must not start with <c>/</c>; at most 512
    /// characters. Give the storage credentials rights under this prefix only, and a lifecycle rule on it that expires
    /// objects after a day, as a backstop for images whose cleanup never ran.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// The store's endpoint, for anything but AWS S3: <c>https://s3.oss-cn-hangzhou.aliyuncs.com</c> for Alibaba Cloud
    /// OSS, <c>https://minio.example.com:9000</c> for MinIO. Default: <see langword="null"/> (AWS S3, in <see cref="Region"/>).
    /// Must be absolute <c>https</c>, without a user name, password, query or fragment; plain <c>http</c> is accepted
    /// only for a loopback address (a local emulator) or when <see cref="AllowInsecureHttp"/> is set. Presigned URLs
    /// use the same scheme and host. Used only by hosts that create their own client.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The region: the bucket's AWS region (<c>eu-central-1</c>) without <see cref="ServiceUrl"/>, or the region
    /// requests are signed for with it (for OSS the region ID, such as <c>cn-hangzhou</c>). Default:
    /// <see langword="null"/>: the AWS SDK's own lookup (the <c>AWS_REGION</c> environment variable, the shared
    /// config file) without <see cref="ServiceUrl"/>, or the region the SDK derives from it. Used only by hosts that
    /// create their own client.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Address the bucket in the path (<c>https://host/bucket/key</c>) rather than in the host name
    /// (<c>https://bucket.host/key</c>). Default: <see langword="false"/>. Set it for MinIO and most self-hosted stores;
    /// leave it off for AWS S3 and Alibaba Cloud OSS (which refuses path-style requests). Used only by hosts that
    /// create their own client.
    /// </summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// Accept a plain <c>http</c> <see cref="ServiceUrl"/> that is not a loopback address. Default:
    /// <see langword="false"/>. Over <c>http</c> the images, the access key ID and every signed request travel in clear
    /// text (the secret itself never does): set this only on a network you trust.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// The access key ID of the storage credentials, set together with <see cref="SecretAccessKey"/>. Default:
    /// <see langword="null"/>: the AWS SDK's default credential chain (environment variables <c>AWS_ACCESS_KEY_ID</c>
    /// and <c>AWS_SECRET_ACCESS_KEY</c>, the shared credentials file, an instance or container role). Never shown by
    /// <see cref="ToString"/>; every presigned URL carries it, as SigV4 requires, so use a key meant for this prefix only.
    /// </summary>
    public string? AccessKeyId { get; set; }

    /// <summary>
    /// The secret access key of <see cref="AccessKeyId"/>; required when it is set. Default: <see langword="null"/>.
    /// It never leaves the process (only signatures made with it are sent) and is never shown by <see cref="ToString"/>
    /// or put in an exception. Keep it in user secrets or the environment variable <c>AliTryOn__Images__S3__SecretAccessKey</c>.
    /// </summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>
    /// Options read from a configuration section such as <c>configuration.GetSection("AliTryOn:Images:S3")</c>, for a
    /// setup without dependency injection (a console app reading a settings file or the environment).
    /// </summary>
    /// <param name="configuration">The section holding <c>BucketName</c>, <c>ServiceUrl</c> and the other settings.</param>
    /// <returns>New options: the defaults, overridden by each setting present in <paramref name="configuration"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">A value cannot be parsed (a malformed URL, a boolean that is not <c>true</c> or <c>false</c>), or a key of the section is not a setting (a misspelling such as <c>ForcePathStile</c>); the message names each key. Values are not validated: <see cref="S3ImageHost.Create(S3ImageHostOptions)"/> does that.</exception>
    public static S3ImageHostOptions FromConfiguration(IConfiguration configuration)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        var options = new S3ImageHostOptions();
        S3ImageHostOptionsBinder.Bind(configuration, options, Options.DefaultName, S3OptionKeys.ForSection(configuration));
        return options;
    }

    /// <summary>Lists the settings with the access key ID and the secret hidden.</summary>
    /// <returns>The settings, one <c>Name = value</c> each.</returns>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "S3ImageHostOptions {{ BucketName = {0}, KeyPrefix = {1}, ServiceUrl = {2}, Region = {3}, ForcePathStyle = {4}, AllowInsecureHttp = {5}, AccessKeyId = {6}, SecretAccessKey = {7} }}",
        BucketName ?? "(not set)",
        KeyPrefix,
        ServiceUrl is null ? "(not set)" : S3Display.Endpoint(ServiceUrl),
        Region ?? "(not set)",
        ForcePathStyle,
        AllowInsecureHttp,
        Hidden(AccessKeyId),
        Hidden(SecretAccessKey));

    private static string Hidden(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "(set, hidden)";
}
