using System;
using System.Collections.Generic;
using AliTryOn.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.S3.Configuration;

/// <summary>
/// Binds <see cref="S3ImageHostOptions"/> from configuration by hand, without reflection, so the package stays trimmable
/// and AOT-compatible, and so a value that cannot be parsed is reported with its full key (and never quoted when it
/// may hold a secret).
/// </summary>
internal static class S3ImageHostOptionsBinder
{
    /// <summary>The settings the section holds.</summary>
    private static readonly string[] Settings =
    [
        nameof(S3ImageHostOptions.BucketName), nameof(S3ImageHostOptions.KeyPrefix), nameof(S3ImageHostOptions.ServiceUrl),
        nameof(S3ImageHostOptions.Region), nameof(S3ImageHostOptions.ForcePathStyle), nameof(S3ImageHostOptions.AllowInsecureHttp),
        nameof(S3ImageHostOptions.AccessKeyId), nameof(S3ImageHostOptions.SecretAccessKey),
    ];

    /// <summary>The settings whose values are credentials.</summary>
    private static readonly string[] Secrets = [nameof(S3ImageHostOptions.AccessKeyId), nameof(S3ImageHostOptions.SecretAccessKey)];

    /// <exception cref="OptionsValidationException">
    /// A value cannot be parsed, or a key is not a setting (misspelt, or in the wrong place); the message names each key.
    /// </exception>
    /// <param name="section">The host's section.</param>
    /// <param name="options">The options to fill.</param>
    /// <param name="optionsName">The options' name, for the exception.</param>
    /// <param name="keys">How a message names a key.</param>
    /// <param name="otherSections">The full paths of sections read by others (another client's host), which may be nested in this one.</param>
    public static void Bind(IConfiguration section, S3ImageHostOptions options, string optionsName, S3OptionKeys keys, IEnumerable<string>? otherSections = null)
    {
        var failures = new List<string>();

        // Text settings are taken as they are (an empty KeyPrefix means none); validation reports a bad one, and never
        // quotes a credential.
        options.BucketName = section[nameof(S3ImageHostOptions.BucketName)] ?? options.BucketName;
        options.KeyPrefix = section[nameof(S3ImageHostOptions.KeyPrefix)] ?? options.KeyPrefix;
        options.Region = section[nameof(S3ImageHostOptions.Region)] ?? options.Region;
        options.AccessKeyId = section[nameof(S3ImageHostOptions.AccessKeyId)] ?? options.AccessKeyId;
        options.SecretAccessKey = section[nameof(S3ImageHostOptions.SecretAccessKey)] ?? options.SecretAccessKey;

        if (Text(section, nameof(S3ImageHostOptions.ServiceUrl)) is { } serviceUrl)
        {
            if (Uri.TryCreate(serviceUrl, UriKind.RelativeOrAbsolute, out var url))
            {
                options.ServiceUrl = url;
            }
            else
            {
                failures.Add($"{keys.Describe(nameof(S3ImageHostOptions.ServiceUrl))} has the value '{S3Display.EndpointText(serviceUrl)}', which is not a URL such as https://s3.oss-cn-hangzhou.aliyuncs.com.");
            }
        }

        options.ForcePathStyle = ReadBoolean(section, nameof(S3ImageHostOptions.ForcePathStyle), options.ForcePathStyle, keys, failures);
        options.AllowInsecureHttp = ReadBoolean(section, nameof(S3ImageHostOptions.AllowInsecureHttp), options.AllowInsecureHttp, keys, failures);

        UnknownSettings.Check(section, Settings, skipped: otherSections ?? [], Secrets, keys.Describe, "the S3 image host", failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(optionsName, typeof(S3ImageHostOptions), failures);
        }
    }

    private static bool ReadBoolean(IConfiguration section, string key, bool current, S3OptionKeys keys, List<string> failures)
    {
        if (Text(section, key) is not { } text)
        {
            return current;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        failures.Add($"{keys.Describe(key)} has the value '{text}', which is not true or false.");
        return current;
    }

    /// <summary>The trimmed value of <paramref name="key"/>, or <see langword="null"/> when it is absent or blank.</summary>
    private static string? Text(IConfiguration section, string key) =>
        section[key] is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
