using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AliTryOn.Testing.Wire;

namespace AliTryOn.Testing;

/// <summary>
/// The gateway's side of the AppKey/AppSecret signing mode: rebuilds the server's StringToSign from the request as
/// received and compares signatures. Written from the contract alone, independently of the SDK's signer, so that
/// the two check each other.
/// </summary>
internal sealed class GatewaySignatureVerifier(IReadOnlyDictionary<string, string> secrets, TimeProvider clock, TimeSpan timestampWindow)
{
    private static readonly HashSet<string> NeverSigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Ca-Signature", "X-Ca-Signature-Headers", "Accept", "Content-MD5", "Content-Type", "Date",
    };

    /// <summary>The AppSecret of a configured <paramref name="appKey"/>.</summary>
    public string SecretOf(string appKey) => secrets[appKey];

    /// <summary>Whether the request asks for the signing mode: it names an AppKey or carries a signature.</summary>
    public static bool IsSigned(EmulatorRequest request) =>
        request.Header("X-Ca-Key") is not null || request.Header("X-Ca-Signature") is not null;

    /// <summary>
    /// <see langword="null"/> when the signature holds; else the gateway's refusal, in the order the gateway checks:
    /// the key, the signature's presence, the timestamp, the body's MD5, then the signature itself.
    /// </summary>
    public (int Status, string Message)? Verify(EmulatorRequest request)
    {
        var key = request.Header("X-Ca-Key");
        if (string.IsNullOrEmpty(key) || !secrets.TryGetValue(key, out var secret))
        {
            return (400, "Invalid AppKey");
        }

        var signature = request.Header("X-Ca-Signature");
        if (string.IsNullOrWhiteSpace(signature))
        {
            return (401, "Empty Signature");
        }

        if (!long.TryParse(request.Header("X-Ca-Timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return (400, "Invalid Timestamp");
        }

        var skew = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        if (skew.Duration() > timestampWindow)
        {
            return (400, "Timestamp Expired");
        }

        if (request.Header("Content-MD5") is { } contentMd5 && (request.Body.Length == 0 || contentMd5 != Md5(request.Body)))
        {
            return (400, "Invalid Content-MD5");
        }

        var stringToSign = StringToSign(request);
        var expected = Hmac(request.Header("X-Ca-Signature-Method"), secret, stringToSign);
        if (expected is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return (400, "Invalid Signature, Server StringToSign:`" + ForHeader(stringToSign) + "`");
        }

        return null;
    }

    /// <summary>
    /// The server's StringToSign: method, Accept, Content-MD5, Content-Type and Date each on a line (empty when absent),
    /// then each header listed in <c>X-Ca-Signature-Headers</c> as <c>name:value</c> on a line, names sorted, then the
    /// path as sent and the query and form parameters, decoded and sorted by name.
    /// </summary>
    internal static string StringToSign(EmulatorRequest request)
    {
        var text = new StringBuilder();
        text.Append(request.Method).Append('\n');
        foreach (var header in new[] { "Accept", "Content-MD5", "Content-Type", "Date" })
        {
            text.Append(request.Header(header)).Append('\n');
        }

        var names = (request.Header("X-Ca-Signature-Headers") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(static name => !NeverSigned.Contains(name))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            text.Append(name).Append(':').Append(request.Header(name)).Append('\n');
        }

        text.Append(request.RawPath ?? request.Path);
        var parameters = Parameters(request.QueryString.TrimStart('?'));
        if (IsForm(request.Header("Content-Type")))
        {
            parameters = parameters.Concat(Parameters(Encoding.UTF8.GetString(request.Body)));
        }

        var separator = '?';
        foreach (var (name, value) in parameters.DistinctBy(static p => p.Name, StringComparer.Ordinal).OrderBy(static p => p.Name, StringComparer.Ordinal))
        {
            text.Append(separator).Append(name);
            if (value.Length > 0)
            {
                text.Append('=').Append(value);
            }

            separator = '&';
        }

        return text.ToString();
    }

    /// <summary>How the gateway shows a StringToSign in a header: line breaks as <c>#</c>, and nothing a header cannot carry.</summary>
    internal static string ForHeader(string stringToSign)
    {
        var shown = new StringBuilder(stringToSign.Length);
        foreach (var c in stringToSign)
        {
            shown.Append(c == '\n' ? '#' : c is >= ' ' and <= '~' ? c : '?');
        }

        return shown.ToString();
    }

    private static IEnumerable<(string Name, string Value)> Parameters(string encoded) =>
        encoded.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(static pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? (Decode(pair), string.Empty) : (Decode(pair[..equals]), Decode(pair[(equals + 1)..]));
        });

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static bool IsForm(string? contentType) =>
        contentType is not null
        && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    // The gateway's protocol prescribes MD5 for Content-MD5 and accepts HmacSHA1 besides HmacSHA256; the emulator
    // must check what the gateway checks.
#pragma warning disable CA5350, CA5351
    private static string Md5(byte[] body) => Convert.ToBase64String(MD5.HashData(body));

    /// <summary>The expected signature, or <see langword="null"/> for a method the gateway does not know.</summary>
    private static string? Hmac(string? method, string secret, string stringToSign)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(stringToSign);
        return method switch
        {
            null or "" or "HmacSHA256" => Convert.ToBase64String(HMACSHA256.HashData(key, data)),
            "HmacSHA1" => Convert.ToBase64String(HMACSHA1.HashData(key, data)),
            _ => null,
        };
    }
#pragma warning restore CA5350, CA5351
}
