using System;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace AliTryOn.S3;

/// <summary>Makes the S3 client of a host created from options alone (<see cref="S3ImageHost.Create(S3ImageHostOptions)"/>).</summary>
internal static class S3ClientFactory
{
    /// <param name="options">Valid options.</param>
    /// <param name="configure">Changes the configuration last; optional.</param>
    public static AmazonS3Client Create(S3ImageHostOptions options, Action<AmazonS3Config>? configure)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where an operation requires them. The SDK's default (WHEN_SUPPORTED) sends uploads as
            // aws-chunked bodies with a trailing CRC32, which Alibaba Cloud OSS and several S3-compatible stores refuse
            // or store with the chunk framing; the upload is still signed whole (SigV4 over its SHA-256).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };

        if (options.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.AbsoluteUri;
            if (!string.IsNullOrEmpty(options.Region))
            {
                // With an endpoint of its own, the region only names what requests are signed for (OSS: cn-hangzhou…).
                config.AuthenticationRegion = options.Region;
            }
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        configure?.Invoke(config);
        return string.IsNullOrEmpty(options.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config);
    }
}
