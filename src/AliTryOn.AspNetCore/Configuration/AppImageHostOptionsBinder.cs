using System;
using System.Collections.Generic;
using AliTryOn.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.AspNetCore.Configuration;

/// <summary>
/// Binds <see cref="AppImageHostOptions"/> from configuration by hand, without reflection, so the package stays trimmable
/// and AOT-compatible. A key that is absent or blank leaves the setting as it was.
/// </summary>
internal static class AppImageHostOptionsBinder
{
    /// <summary>Reads the four settings of <paramref name="section"/> into <paramref name="options"/>.</summary>
    /// <param name="section">The section holding <c>PublicBaseUrl</c>, <c>SigningKey</c>, <c>Path</c> and <c>FolderPath</c>.</param>
    /// <param name="options">The options to fill.</param>
    /// <param name="sectionPath">The section's path, to name a key in a message.</param>
    /// <exception cref="OptionsValidationException">
    /// <c>PublicBaseUrl</c> is not a URL (the message names the key, not the value), or a key is not a setting
    /// (misspelt, or in the wrong place; the message names each).
    /// </exception>
    public static void Bind(IConfiguration section, AppImageHostOptions options, string sectionPath)
    {
        if (Read(section, nameof(AppImageHostOptions.PublicBaseUrl)) is { } url)
        {
            // Not quoted: an address may carry a password.
            options.PublicBaseUrl = Uri.TryCreate(url, UriKind.Absolute, out var parsed)
                ? parsed
                : throw new OptionsValidationException(
                    Options.DefaultName,
                    typeof(AppImageHostOptions),
                    [$"{AppImageHostOptionsValidator.DescribeKey(Key(sectionPath, nameof(AppImageHostOptions.PublicBaseUrl)))} is not an absolute URL such as https://shop.example.com/."]);
        }

        // As is, never trimmed: every instance must use exactly the same key.
        if (section[nameof(AppImageHostOptions.SigningKey)] is { Length: > 0 } signingKey)
        {
            options.SigningKey = signingKey;
        }

        if (Read(section, nameof(AppImageHostOptions.Path)) is { } path)
        {
            options.Path = path;
        }

        if (Read(section, nameof(AppImageHostOptions.FolderPath)) is { } folder)
        {
            options.FolderPath = folder;
        }

        var failures = new List<string>();
        UnknownSettings.Check(
            section,
            [nameof(AppImageHostOptions.PublicBaseUrl), nameof(AppImageHostOptions.SigningKey), nameof(AppImageHostOptions.Path), nameof(AppImageHostOptions.FolderPath)],
            skipped: [],
            secrets: [nameof(AppImageHostOptions.SigningKey)],
            setting => AppImageHostOptionsValidator.DescribeKey(Key(sectionPath, setting)),
            "the app's image host",
            failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AppImageHostOptions), failures);
        }
    }

    private static string? Read(IConfiguration section, string key) =>
        section[key] is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static string Key(string sectionPath, string setting) => string.IsNullOrEmpty(sectionPath) ? setting : sectionPath + ":" + setting;
}
