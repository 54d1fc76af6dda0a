using AliTryOn.Cli.Hosting;
using AliTryOn.S3;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;

namespace AliTryOn.Cli.Configuration;

/// <summary>
/// Where the tool's image host comes from: the settings under <c>AliTryOn:Images:S3</c> (the <c>--config</c> file or the
/// environment), when any is set, make an S3 host (Alibaba Cloud OSS, AWS S3, MinIO…); without them there is none, and
/// a manifest with local images is refused before anything is sent. <c>--emulator</c> uses the emulator's own host.
/// </summary>
internal static class ImageHostFactory
{
    /// <summary>The section of the S3 host's settings.</summary>
    public const string S3Section = CliSettings.Section + ":Images:S3";

    /// <summary>The tool's advice when a manifest has local images and no host is configured: which settings to set.</summary>
    public const string Hint =
        "To publish local images, alitryon needs an S3-compatible bucket (Alibaba Cloud OSS, AWS S3, MinIO…): set "
        + "AliTryOn:Images:S3:BucketName, with ServiceUrl, Region, ForcePathStyle, AccessKeyId and SecretAccessKey as your store needs, "
        + "in the --config file (\"AliTryOn\": { \"Images\": { \"S3\": { \"BucketName\": … } } }) or as environment variables "
        + "(AliTryOn__Images__S3__BucketName, AliTryOn__Images__S3__SecretAccessKey…). Or try it with --emulator, whose in-memory host needs nothing.";

    /// <summary>The image host the settings configure, or <see langword="null"/> when they configure none.</summary>
    /// <param name="configuration">The tool's settings (<see cref="CliSettings.Build"/>).</param>
    /// <param name="createS3">Makes the S3 host from its section (<see cref="CliContext.CreateS3ImageHost"/>).</param>
    /// <exception cref="CliException">An S3 setting is invalid (the message names its key and quotes no credential), or the AWS SDK could not set the client up.</exception>
    public static TryOnImageHost? Create(IConfiguration configuration, Func<IConfigurationSection, TryOnImageHost> createS3)
    {
        var s3 = configuration.GetSection(S3Section);
        return s3.AsEnumerable().Any(setting => !string.IsNullOrWhiteSpace(setting.Value)) ? createS3(s3) : null;
    }

    /// <summary>The S3 host of the AliTryOn.S3 package, made from its settings: the one place the tool creates it.</summary>
    /// <param name="section">The <c>AliTryOn:Images:S3</c> section.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A value does not parse; the message names its key.</exception>
    /// <exception cref="CliException">
    /// A setting is invalid (the message names its key and quotes no credential), or the AWS SDK could not set the client
    /// up (no region or credentials found).
    /// </exception>
    public static TryOnImageHost CreateS3(IConfigurationSection section)
    {
        try
        {
            return S3ImageHost.Create(S3ImageHostOptions.FromConfiguration(section));
        }
        catch (ArgumentException exception)
        {
            // The package names settings as code does (S3ImageHostOptions.BucketName); the tool's user sets them as keys.
            var message = exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;
            throw new CliException(message.Replace(nameof(S3ImageHostOptions) + ".", section.Path + ":", StringComparison.Ordinal));
        }
        catch (AmazonClientException exception)
        {
            throw new CliException($"The S3 image host of {section.Path} could not be set up: {exception.Message}");
        }
    }
}
