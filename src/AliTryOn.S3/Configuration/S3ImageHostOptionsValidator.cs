using System;
using System.Collections.Generic;
using System.Net;
using Microsoft.Extensions.Options;

namespace AliTryOn.S3.Configuration;

/// <summary>
/// Validates <see cref="S3ImageHostOptions"/>: the one set of rules for options bound by dependency injection (checked
/// at start-up, failures naming the configuration key) and options passed to <see cref="S3ImageHost"/>. Messages
/// never quote a credential.
/// </summary>
internal sealed class S3ImageHostOptionsValidator(string name, S3OptionKeys keys) : IValidateOptions<S3ImageHostOptions>
{
    /// <summary>The longest <see cref="S3ImageHostOptions.KeyPrefix"/>: object keys are at most 1,024 bytes, and the client's part takes about 110.</summary>
    internal const int MaxKeyPrefixLength = 512;

    public ValidateOptionsResult Validate(string? optionsName, S3ImageHostOptions options)
    {
        if (!string.Equals(optionsName ?? Options.DefaultName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = GetFailures(options, keys, connection: true);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws when options passed to the host are invalid.</summary>
    /// <param name="options">The options.</param>
    /// <param name="paramName">The parameter they were passed as.</param>
    /// <param name="connection">Whether the settings that reach the store count too (the host creates its own client).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">Some setting is invalid; the message names every one.</exception>
    public static void ThrowIfInvalid(S3ImageHostOptions options, string paramName, bool connection)
    {
        if (options is null)
        {
            throw new ArgumentNullException(paramName);
        }

        var failures = GetFailures(options, S3OptionKeys.Code, connection);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid S3ImageHostOptions: " + string.Join(" ", failures), paramName);
        }
    }

    /// <summary>Every problem of <paramref name="options"/>, one sentence each.</summary>
    public static List<string> GetFailures(S3ImageHostOptions options, S3OptionKeys keys, bool connection)
    {
        var failures = new List<string>();
        void Fail(string setting, string problem) => failures.Add($"{keys.Describe(setting)} {problem}.");

        if (CheckBucketName(options.BucketName) is { } bucketProblem)
        {
            Fail(nameof(S3ImageHostOptions.BucketName), bucketProblem);
        }

        if (CheckKeyPrefix(options.KeyPrefix) is { } prefixProblem)
        {
            Fail(nameof(S3ImageHostOptions.KeyPrefix), prefixProblem);
        }

        if (!connection)
        {
            return failures;
        }

        if (options.ServiceUrl is { } serviceUrl && CheckServiceUrl(serviceUrl, options.AllowInsecureHttp) is { } urlProblem)
        {
            Fail(nameof(S3ImageHostOptions.ServiceUrl), urlProblem);
        }

        if (options.Region is { } region && !IsRegion(region))
        {
            Fail(nameof(S3ImageHostOptions.Region), $"has the value '{region}', which is not a region name such as cn-hangzhou or eu-central-1 (letters, digits and hyphens)");
        }

        var hasKeyId = !string.IsNullOrEmpty(options.AccessKeyId);
        var hasSecret = !string.IsNullOrEmpty(options.SecretAccessKey);
        if (hasKeyId != hasSecret)
        {
            Fail(
                hasKeyId ? nameof(S3ImageHostOptions.SecretAccessKey) : nameof(S3ImageHostOptions.AccessKeyId),
                hasKeyId
                    ? "is required when AccessKeyId is set (or set neither, for the AWS SDK's default credentials)"
                    : "is required when SecretAccessKey is set (or set neither, for the AWS SDK's default credentials)");
        }

        foreach (var (setting, value) in new[] { (nameof(S3ImageHostOptions.AccessKeyId), options.AccessKeyId), (nameof(S3ImageHostOptions.SecretAccessKey), options.SecretAccessKey) })
        {
            if (!string.IsNullOrEmpty(value) && CheckCredential(value!, keys) is { } credentialProblem)
            {
                Fail(setting, credentialProblem);
            }
        }

        return failures;
    }

    /// <summary>Null for a bucket name S3, OSS and MinIO all accept: 3 to 63 lowercase letters, digits, dots and hyphens.</summary>
    private static string? CheckBucketName(string? bucketName)
    {
        if (string.IsNullOrWhiteSpace(bucketName))
        {
            return "is required: the bucket the images are stored in (it must exist)";
        }

        var valid = bucketName!.Length is >= 3 and <= 63 && IsLowerAlphanumeric(bucketName[0]) && IsLowerAlphanumeric(bucketName[bucketName.Length - 1]);
        foreach (var c in bucketName)
        {
            valid &= IsLowerAlphanumeric(c) || c is '-' or '.';
        }

        return valid ? null : $"has the value '{bucketName}', which is not a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
    }

    private static string? CheckKeyPrefix(string? prefix)
    {
        if (prefix is null)
        {
            return "is required (an empty string for none)";
        }

        if (prefix.Length > MaxKeyPrefixLength)
        {
            return $"is {prefix.Length} characters long, more than {MaxKeyPrefixLength}";
        }

        if (prefix.StartsWith("/", StringComparison.Ordinal))
        {
            return $"has the value '{prefix}', which starts with '/': object keys do not, so write '{prefix.TrimStart('/')}'";
        }

        foreach (var c in prefix)
        {
            if (char.IsControl(c))
            {
                return "has a control character";
            }
        }

        foreach (var segment in prefix.Split('/'))
        {
            if (segment is "." or "..")
            {
                return $"has the value '{prefix}', with a '{segment}' segment, which URLs would not keep";
            }
        }

        return null;
    }

    private static string? CheckServiceUrl(Uri url, bool allowInsecureHttp)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "must be an absolute https URL, such as https://s3.oss-cn-hangzhou.aliyuncs.com";
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "has a user name or password in it (not shown): set AccessKeyId and SecretAccessKey instead";
        }

        if (url.AbsolutePath != "/" || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            return $"must be the store's address alone, such as {S3Display.Endpoint(url)}: no path, query or fragment (the bucket and key make the path)";
        }

        if (url.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(url))
        {
            return $"is plain http ({S3Display.Endpoint(url)}), which sends the images and signed requests in clear text: use https, or set AllowInsecureHttp on a network you trust";
        }

        return null;
    }

    private static string? CheckCredential(string value, S3OptionKeys keys)
    {
        var trimmed = value.Trim();
        if (trimmed.Length > 0 && trimmed.IndexOf(' ') > 0)
        {
            // Words with spaces between them: a placeholder ("set me in user secrets"), not a credential.
            return $"holds a placeholder, not a credential (it has spaces){Advice(keys)}; the value is not shown";
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c > '~')
            {
                return $"has a space, line break or character that is not printable ASCII (often pasted along with it){Advice(keys)}; the value is not shown";
            }
        }

        return null;
    }

    private static string Advice(S3OptionKeys keys) =>
        keys.IsConfiguration ? ": keep the real value in user secrets or an environment variable" : string.Empty;

    private static bool IsRegion(string region)
    {
        if (region.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in region)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
