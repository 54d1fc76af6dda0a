using System;
using System.Globalization;

namespace AliTryOn.AspNetCore;

/// <summary>
/// Settings of an <see cref="AppImageHost"/>. Bound from the configuration section <see cref="SectionName"/>
/// (<c>AliTryOn:Images:App</c>) by <c>services.AddTryOnAppImageHost()</c>, or set in code.
/// </summary>
/// <remarks>
/// <para>
/// A host copies these values when it is created; changing the object afterwards does not change that host.
/// <see cref="ToString"/> never shows the <see cref="SigningKey"/>.
/// </para>
/// <para>
/// Several instances of the app behind a load balancer need the same <see cref="SigningKey"/> and one shared store: an
/// <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> such as Redis, or a <see cref="FolderPath"/>
/// they all mount.
/// </para>
/// </remarks>
public sealed class AppImageHostOptions
{
    /// <summary>The conventional configuration section: <c>AliTryOn:Images:App</c>.</summary>
    public const string SectionName = "AliTryOn:Images:App";

    /// <summary>The default of <see cref="Path"/>: <c>/tryon-images</c>.</summary>
    public const string DefaultPath = "/tryon-images";

    /// <summary>The shortest <see cref="SigningKey"/> accepted, in bytes of its UTF-8 encoding: 32 (256 bits, the size of an HMAC-SHA256 hash).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>
    /// The app's address as the internet sees it, for example <c>https://shop.example.com/</c>: the try-on service
    /// downloads the images from there. Required: no default. Absolute <c>http</c> or <c>https</c>, with no query,
    /// fragment or user name. A path is kept, as the prefix of <see cref="Path"/> (for an app behind a proxy that
    /// serves it under <c>/store</c>, say).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The secret that signs image URLs (HMAC-SHA256). Required: no default. It is used as text: its UTF-8 bytes are the
    /// HMAC key, and they must be at least <see cref="MinSigningKeyBytes"/> (32) long; nothing is decoded, so a base64
    /// string is taken as the text it is. Generate one with <c>openssl rand -base64 48</c> and keep it in user secrets,
    /// the environment (<c>AliTryOn__Images__App__SigningKey</c>) or a vault, never in <c>appsettings.json</c>. Every
    /// instance serving the same images needs the same key; changing it invalidates the URLs already handed out. It
    /// never appears in a URL, a log, an exception or <see cref="ToString"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The path under which the app serves the images, below <see cref="PublicBaseUrl"/>. Default:
    /// <see cref="DefaultPath"/> (<c>/tryon-images</c>). One or more segments of letters, digits, <c>-</c>, <c>_</c>,
    /// <c>.</c> and <c>~</c>, each after a <c>/</c>; no trailing <c>/</c>.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// A folder to keep the images in instead of the <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>.
    /// Default: <see langword="null"/> (the cache). Relative paths are resolved against the current directory when the
    /// host is created; the folder is created if need be. Images go in a subfolder per submit, are removed when their job
    /// ends, and files past their expiry are swept from time to time. Never point it at a folder the app serves as static
    /// files: the images would be readable without a signature.
    /// </summary>
    public string? FolderPath { get; set; }

    /// <summary>Lists the settings with the signing key hidden.</summary>
    /// <returns>For example <c>AppImageHostOptions { PublicBaseUrl = https://shop.example.com/, SigningKey = (set, hidden), Path = /tryon-images, FolderPath = (not set) }</c>.</returns>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "AppImageHostOptions {{ PublicBaseUrl = {0}, SigningKey = {1}, Path = {2}, FolderPath = {3} }}",
        PublicBaseUrl is null ? "(not set)" : Show(PublicBaseUrl),
        string.IsNullOrEmpty(SigningKey) ? "(not set)" : "(set, hidden)",
        Path,
        string.IsNullOrEmpty(FolderPath) ? "(not set)" : FolderPath);

    /// <summary>A URL without any user information it may carry.</summary>
    internal static string Show(Uri url) =>
        url.IsAbsoluteUri && url.UserInfo.Length > 0
            ? new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
            : url.ToString();
}
