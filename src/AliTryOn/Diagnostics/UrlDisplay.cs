// Also compiled into the command-line tool, whose implicit usings make this redundant there.
#pragma warning disable IDE0005
using System;
#pragma warning restore IDE0005

namespace AliTryOn.Diagnostics;

/// <summary>
/// How a URL is shown in messages, logs and span tags: without user information (a password), query string (a link's
/// signature) or fragment. The one place that decides it.
/// </summary>
internal static class UrlDisplay
{
    private const int MaxRawLength = 80;

    /// <summary>What ends a URL's authority (never written to).</summary>
    private static readonly char[] AuthorityEnd = ['/', '?', '#', '\\'];

    /// <summary>What ends a URL written in a text: a JSON or XML quote, a space, an angle bracket (never written to).</summary>
    private static readonly char[] UrlEnd = ['"', '\'', ' ', '\t', '\r', '\n', '<', '>'];

    /// <summary>
    /// <c>scheme://host[:port]/path</c> of an absolute URL (for a scheme other than http and https, the path up to any
    /// <c>?</c> or <c>#</c>, escaped or not); for a relative one, its text up to any <c>?</c> or
    /// <c>#</c> and after any <c>@</c>, at most 80 characters.
    /// </summary>
    public static string Show(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            return Show(url.OriginalString);
        }

        var shown = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        if (IsHttp(url))
        {
            return shown;
        }

        // Other schemes' parsers (ftp, file…) may keep what follows a '?' in the path, escaped: cut it there too.
        var path = url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).Length;
        var end = IndexOfAny(shown, path, "?", "#", "%3F", "%23");
        return end < 0 ? shown : shown.Substring(0, end);
    }

    /// <summary>The same for a text that may not be a URL at all (an unusable value the service sent).</summary>
    public static string Show(string text)
    {
        if (TryParseAbsolute(text, out var absolute))
        {
            return Show(absolute);
        }

        // Everything up to the last '@' first, as a password may hold '?' or '#'; then the query and fragment.
        var at = text.LastIndexOf('@');
        var shown = at < 0 ? text : text.Substring(at + 1);
        var end = shown.IndexOfAny(['?', '#']);
        shown = end < 0 ? shown : shown.Substring(0, end);
        return shown.Length <= MaxRawLength ? shown : shown.Substring(0, MaxRawLength) + "…";
    }

    /// <summary>
    /// An absolute URL written as one, with its scheme: unlike <see cref="Uri.TryCreate(string, UriKind, out Uri)"/> alone,
    /// a bare path such as <c>/results/0.png</c> is not taken for a file URL (as it is on Unix).
    /// </summary>
    public static bool TryParseAbsolute(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? url)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out url)
            && text.Length > url.Scheme.Length
            && text[url.Scheme.Length] == ':'
            && string.Compare(text, 0, url.Scheme, 0, url.Scheme.Length, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return true;
        }

        url = null;
        return false;
    }

    /// <summary>
    /// Whether <paramref name="text"/>, parsed as <paramref name="url"/> by <see cref="TryParseAbsolute"/>, has user
    /// information (<c>user:password@</c> before its host): read from the text, as <see cref="Uri.UserInfo"/> would
    /// allocate a string for every link of every answer.
    /// </summary>
    public static bool HasUserInfo(string text, Uri url)
    {
        var start = url.Scheme.Length + 3; // after "scheme://"
        if (start >= text.Length || string.CompareOrdinal(text, url.Scheme.Length, "://", 0, 3) != 0)
        {
            return url.UserInfo.Length > 0;
        }

        var end = text.IndexOfAny(AuthorityEnd, start);
        return text.IndexOf('@', start, (end < 0 ? text.Length : end) - start) >= 0;
    }

    /// <summary>
    /// <paramref name="url"/> itself when it has nothing to hide, else its shown form as a <see cref="Uri"/>: for
    /// structured log values, which keep their type.
    /// </summary>
    /// <remarks>Never throws: what cannot be shown as a URL (a header the service garbled) gives <see langword="null"/>.</remarks>
    public static Uri? Safe(Uri? url) => url switch
    {
        null => null,
        { IsAbsoluteUri: true } when !IsHttp(url) || url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0 => Parse(Show(url), UriKind.Absolute),
        { IsAbsoluteUri: false } when url.OriginalString.IndexOfAny(['?', '#', '@']) >= 0 => Parse(Show(url.OriginalString), UriKind.Relative),
        _ => url,
    };

    /// <summary>
    /// A free text (a response body's excerpt) with each URL in it shown as <see cref="Show(string)"/> would: every
    /// <c>scheme://</c> (or <c>scheme:\/\/</c>, as JSON may escape it) up to the next quote, space or angle bracket
    /// loses its user information, query and fragment, marked <c>***</c>. The rest of the text is kept as it is.
    /// </summary>
    public static string MaskUrls(string text)
    {
        var (start, marker) = NextUrl(text, 0);
        if (start < 0)
        {
            return text;
        }

        var masked = new System.Text.StringBuilder(text.Length);
        var copied = 0;
        while (start >= 0)
        {
            var from = start + marker;
            var end = text.IndexOfAny(UrlEnd, from);
            end = end < 0 ? text.Length : end;
            var authorityEnd = text.IndexOfAny(AuthorityEnd, from, end - from);
            authorityEnd = authorityEnd < 0 ? end : authorityEnd;
            var at = authorityEnd == from ? -1 : text.LastIndexOf('@', authorityEnd - 1, authorityEnd - from);
            var pathStart = at < 0 ? from : at + 1;
            var secret = text.IndexOfAny(['?', '#'], pathStart, end - pathStart);
            masked.Append(text, copied, from - copied).Append(at < 0 ? string.Empty : "***@");
            masked.Append(text, pathStart, (secret < 0 ? end : secret) - pathStart);
            if (secret >= 0)
            {
                masked.Append(text[secret]).Append("***");
            }

            copied = end;
            (start, marker) = NextUrl(text, end);
        }

        return masked.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where the next <c>://</c> or <c>:\/\/</c> at or after <paramref name="from"/> starts, and its length.</summary>
    private static (int Start, int Length) NextUrl(string text, int from)
    {
        var plain = text.IndexOf("://", from, StringComparison.Ordinal);
        var escaped = text.IndexOf(":\\/\\/", from, StringComparison.Ordinal);
        return escaped >= 0 && (plain < 0 || escaped < plain) ? (escaped, 5) : (plain, 3);
    }

    private static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp;

    private static int IndexOfAny(string text, int start, params string[] marks)
    {
        var first = -1;
        foreach (var mark in marks)
        {
            var at = text.IndexOf(mark, start, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    private static Uri? Parse(string text, UriKind kind) => Uri.TryCreate(text, kind, out var url) ? url : null;
}
