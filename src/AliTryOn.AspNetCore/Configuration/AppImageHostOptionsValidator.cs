using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Options;

namespace AliTryOn.AspNetCore.Configuration;

/// <summary>
/// Checks <see cref="AppImageHostOptions"/>, naming each setting as the user wrote it: a configuration key (with its
/// environment variable) or a property path. No message ever quotes the signing key.
/// </summary>
/// <param name="sectionPath">The configuration section the options were bound from, or <see langword="null"/> for settings made in code.</param>
internal sealed class AppImageHostOptionsValidator(string? sectionPath) : IValidateOptions<AppImageHostOptions>
{
    private const string KeyAdvice = "generate one with `openssl rand -base64 48`, and keep it in user secrets, the environment or a vault, not in appsettings.json";

    /// <summary>Settings made in code.</summary>
    public static AppImageHostOptionsValidator Code { get; } = new(sectionPath: null);

    public ValidateOptionsResult Validate(string? name, AppImageHostOptions options)
    {
        // The host is registered for the default options only.
        if (name is not null && name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of <paramref name="options"/>, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Check(AppImageHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckPublicBaseUrl(options.PublicBaseUrl, failures);

        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add($"{Describe(nameof(AppImageHostOptions.SigningKey))} is required: a secret of at least {AppImageHostOptions.MinSigningKeyBytes} bytes that signs the image URLs; {KeyAdvice}.");
        }
        else if (Encoding.UTF8.GetByteCount(options.SigningKey) < AppImageHostOptions.MinSigningKeyBytes)
        {
            failures.Add($"{Describe(nameof(AppImageHostOptions.SigningKey))} is too short: it must be at least {AppImageHostOptions.MinSigningKeyBytes} bytes of UTF-8 text; {KeyAdvice}.");
        }

        if (!IsValidPath(options.Path))
        {
            failures.Add($"{Describe(nameof(AppImageHostOptions.Path))} must be a path such as {AppImageHostOptions.DefaultPath}: one or more segments of letters, digits, '-', '_', '.' and '~', each after a '/', with no trailing '/'; it is '{options.Path}'.");
        }

        if (options.FolderPath is { } folder && !IsValidFolder(folder))
        {
            failures.Add($"{Describe(nameof(AppImageHostOptions.FolderPath))} must be a folder path, or not set to keep the images in the IDistributedCache.");
        }

        return failures;
    }

    /// <summary>Whether <paramref name="path"/> is a route prefix the endpoint can serve: <c>/a/b</c>, nothing a route template or a URL would read otherwise.</summary>
    public static bool IsValidPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path[^1] == '/')
        {
            return false;
        }

        foreach (var segment in path[1..].Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void CheckPublicBaseUrl(Uri? url, List<string> failures)
    {
        var setting = Describe(nameof(AppImageHostOptions.PublicBaseUrl));
        if (url is null)
        {
            failures.Add($"{setting} is required: the app's address as the internet sees it, such as https://shop.example.com/ (the try-on service downloads the images from there).");
        }
        else if (!url.IsAbsoluteUri)
        {
            failures.Add($"{setting} must be an absolute http or https URL, such as https://shop.example.com/; it is relative.");
        }
        else if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{setting} must be an absolute http or https URL, such as https://shop.example.com/; its scheme is '{url.Scheme}'.");
        }
        else if (url.UserInfo.Length > 0)
        {
            failures.Add($"{setting} must not carry a user name or password: the try-on service downloads without credentials.");
        }
        else if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            failures.Add($"{setting} must not have a query or a fragment: the image path and its signature are added to it.");
        }
    }

    private static bool IsValidFolder(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            return false;
        }

        try
        {
            System.IO.Path.GetFullPath(folder);
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or System.IO.PathTooLongException)
        {
            return false;
        }
    }

    private string Describe(string setting) => sectionPath is null
        ? $"{nameof(AppImageHostOptions)}.{setting}"
        : DescribeKey(string.IsNullOrEmpty(sectionPath) ? setting : sectionPath + ":" + setting);

    /// <summary>A configuration key and its environment variable, for a message.</summary>
    internal static string DescribeKey(string key) => $"Configuration key '{key}' (environment variable {key.Replace(":", "__", StringComparison.Ordinal)})";
}
