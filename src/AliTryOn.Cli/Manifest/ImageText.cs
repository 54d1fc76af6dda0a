using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Manifest;

/// <summary>
/// What an image cell of a manifest names: an absolute <c>http</c> or <c>https</c> URL is a URL, which the service
/// fetches; anything else is a local file, relative to the manifest's folder (a <c>file://</c> URL is a file too).
/// Paths are read as the system reads them: on Linux and macOS, not as Windows drive letters or UNC shares.
/// </summary>
internal static class ImageText
{
    /// <summary>The image a cell names; a relative path is resolved against <paramref name="folder"/>.</summary>
    /// <param name="text">The cell's text, trimmed.</param>
    /// <param name="folder">The manifest's folder.</param>
    /// <param name="what">Where the cell is, for messages (<c>looks.csv line 3: upper</c>).</param>
    /// <exception cref="CliException">The cell is a URL of another scheme (<c>s3://</c>, <c>ftp://</c>…), which the service cannot fetch, or a mistyped http(s) URL.</exception>
    public static TryOnImage Parse(string text, string folder, string what)
    {
        // Elsewhere than on Windows, Uri reads "//host/…" and "\\host\…" as UNC shares and "C:/…" as a drive: there,
        // a path starting with '/' is absolute as written, and one with a drive letter is relative like any other.
        if (!OperatingSystem.IsWindows() && text.StartsWith('/'))
        {
            return new FileImage(Path.GetFullPath(text));
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            if (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            {
                return new UrlImage(url);
            }

            if (url.IsFile && OperatingSystem.IsWindows())
            {
                return new FileImage(url.LocalPath);
            }

            if (url.IsFile && text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                return new FileImage(FilePath(url, what));
            }

            if (text.Contains("://", StringComparison.Ordinal))
            {
                // Not quoted: a URL of storage may carry a key.
                throw new CliException($"{what} is a URL of the scheme '{url.Scheme}', which the service cannot fetch: give an http or https URL, or the path of a local file (relative to the manifest's folder).");
            }
        }

        if (LooksLikeUrl(text))
        {
            // A mistyped URL (http:/host, https//host) would otherwise be taken for a local path and reported missing.
            // Shown without what may be a password, a query or a fragment.
            throw new CliException($"{what} looks like a URL but is not a valid one ('{AliTryOn.Diagnostics.UrlDisplay.Show(text)}'): write it as http://host/path or https://host/path, or give the path of a local file.");
        }

        return new FileImage(Path.GetFullPath(text, folder));
    }

    /// <summary>The path of a <c>file://</c> URL elsewhere than on Windows: its path unescaped, on this machine alone.</summary>
    /// <exception cref="CliException">The URL names another host (a share this system does not mount by that name).</exception>
    private static string FilePath(Uri url, string what) =>
        url.Host.Length == 0 || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? Uri.UnescapeDataString(url.AbsolutePath)
            : throw new CliException($"{what} is a file:// URL of the host '{url.Host}', which is not this machine: give the path of a local file (file:///path, or the path itself).");

    private static bool LooksLikeUrl(string text) =>
        text.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("http//", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https//", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a cell's text is a URL (else a local path).</summary>
    public static bool IsUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>A cell's text for messages: a path as written; a URL without its query or user information.</summary>
    public static string Shown(string text) =>
        IsUrl(text) ? new UrlImage(new Uri(text)).DisplayName : text;

    /// <summary>The image of a recorded cell, unresolved: only ever waited for, never read.</summary>
    public static TryOnImage Recorded(string text) => IsUrl(text) ? new UrlImage(new Uri(text)) : new FileImage(text);
}
