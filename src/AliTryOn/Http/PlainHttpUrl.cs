using System;
#if NET8_0_OR_GREATER
using System.Buffers;
#endif

namespace AliTryOn.Http;

/// <summary>
/// A quick test for the links a service answer usually carries: a text that passes is certain to parse as an
/// absolute http or https <see cref="Uri"/> without user information, so its <see cref="Uri"/> can be made when first
/// read (see <see cref="ResultLinks"/>). A text that fails is not necessarily unusable: it is parsed at once instead.
/// </summary>
/// <remarks>
/// Deliberately narrower than what <see cref="Uri"/> accepts: a lowercase <c>http://</c> or <c>https://</c>, a host
/// name of ASCII letters, digits and hyphens whose last label starts with a letter (no IP address, no punycode label),
/// an optional port of at most 65535, and a path, query and fragment of the characters RFC 3986 allows unescaped,
/// with every <c>%</c> starting an escape. Anything outside that is left to <see cref="Uri"/> itself.
/// </remarks>
internal static class PlainHttpUrl
{
    /// <summary>Far under <see cref="Uri"/>'s own limit of about 65,000 characters.</summary>
    internal const int MaxLength = 4096;

    private const string HttpPrefix = "http://";
    private const string HttpsPrefix = "https://";
    private const int MaxHostLength = 253;
    private const int MaxLabelLength = 63;

    private const string HostCharacterText = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.";

    /// <summary>RFC 3986's unreserved and reserved characters but <c>[</c> and <c>]</c>, and <c>%</c>.</summary>
    private const string TailCharacterText = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#%";

#if NET8_0_OR_GREATER
    // Searched with vector instructions: the links of a finished job are a few hundred characters each.
    private static readonly SearchValues<char> HostCharacters = SearchValues.Create(HostCharacterText);
    private static readonly SearchValues<char> TailCharacters = SearchValues.Create(TailCharacterText);
#else
    private const string HostCharacters = HostCharacterText;
    private const string TailCharacters = TailCharacterText;
#endif

    /// <summary>Whether <paramref name="text"/> is certain to parse as an absolute http(s) URL without user information.</summary>
    public static bool IsPlain(string text)
    {
        if (text.Length > MaxLength)
        {
            return false;
        }

        int authorityStart;
        if (text.StartsWith(HttpsPrefix, StringComparison.Ordinal))
        {
            authorityStart = HttpsPrefix.Length;
        }
        else if (text.StartsWith(HttpPrefix, StringComparison.Ordinal))
        {
            authorityStart = HttpPrefix.Length;
        }
        else
        {
            return false;
        }

        var rest = text.AsSpan(authorityStart);
        var authorityLength = rest.IndexOfAny('/', '?', '#');
        if (authorityLength < 0)
        {
            authorityLength = rest.Length;
        }

        return IsHostAndPort(rest.Slice(0, authorityLength)) && IsTail(rest.Slice(authorityLength));
    }

    /// <summary>A host name, then an optional <c>:port</c>; no user information (no <c>@</c> is allowed).</summary>
    private static bool IsHostAndPort(ReadOnlySpan<char> authority)
    {
        var colon = authority.IndexOf(':');
        var host = colon < 0 ? authority : authority.Slice(0, colon);
        return IsHostName(host) && (colon < 0 || IsPort(authority.Slice(colon + 1)));
    }

    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (host.Length is 0 or > MaxHostLength || !AllIn(host, HostCharacters))
        {
            return false;
        }

        while (true)
        {
            var dot = host.IndexOf('.');
            var label = dot < 0 ? host : host.Slice(0, dot);
            if (label.Length is 0 or > MaxLabelLength
                || label[0] == '-'
                || label[label.Length - 1] == '-'
                || label.IndexOf("--".AsSpan()) == 2)
            {
                // Empty, too long, a hyphen at an end, or an encoded (punycode) label such as "xn--".
                return false;
            }

            if (dot < 0)
            {
                // The last label starts with a letter, so the host is never read as an IPv4 address.
                return label[0] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
            }

            host = host.Slice(dot + 1);
        }
    }

    private static bool IsPort(ReadOnlySpan<char> port)
    {
        if (port.Length is 0 or > 5)
        {
            return false;
        }

        var value = 0;
        foreach (var c in port)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= ushort.MaxValue;
    }

    /// <summary>The path, query and fragment: allowed characters only, and each <c>%</c> followed by two hex digits.</summary>
    private static bool IsTail(ReadOnlySpan<char> tail)
    {
        if (!AllIn(tail, TailCharacters))
        {
            return false;
        }

        for (var percent = tail.IndexOf('%'); percent >= 0; percent = tail.IndexOf('%'))
        {
            if (percent + 2 >= tail.Length || !Uri.IsHexDigit(tail[percent + 1]) || !Uri.IsHexDigit(tail[percent + 2]))
            {
                return false;
            }

            tail = tail.Slice(percent + 3);
        }

        return true;
    }

#if NET8_0_OR_GREATER
    private static bool AllIn(ReadOnlySpan<char> text, SearchValues<char> allowed) => text.IndexOfAnyExcept(allowed) < 0;
#else
    private static bool AllIn(ReadOnlySpan<char> text, string allowed)
    {
        foreach (var c in text)
        {
            if (allowed.IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }
#endif
}
