using System;
using System.Buffers;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace AliTryOn.Http;

/// <summary>
/// The API gateway's AppKey/AppSecret signature (see the contract's "AppKey/AppSecret signing"):
/// <c>StringToSign = METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n</c>, then each signed header as
/// <c>name:value\n</c> (names sorted), then the path and sorted parameters; the signature is
/// <c>Base64(HMAC-SHA256(UTF8(AppSecret), UTF8(StringToSign)))</c>.
/// </summary>
internal static class GatewaySignature
{
    /// <summary>The value of <c>X-Ca-Signature-Method</c>.</summary>
    public const string Method = "HmacSHA256";

    private const int HashBytes = 32;
    private const int Md5Bytes = 16;

    /// <summary>The string to sign, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: dispose to return it.</summary>
    /// <param name="method">The HTTP method, such as <c>POST</c>.</param>
    /// <param name="accept">The <c>Accept</c> header as sent, or <see langword="null"/>.</param>
    /// <param name="contentMd5">The <c>Content-MD5</c> header as sent, or <see langword="null"/>.</param>
    /// <param name="contentType">The <c>Content-Type</c> header as sent, or <see langword="null"/>.</param>
    /// <param name="date">The <c>Date</c> header as sent, or <see langword="null"/>.</param>
    /// <param name="headers">The signed headers, names lowercase and sorted ordinally.</param>
    /// <param name="path">The request path as sent, such as <c>/api/v2/tryon/submit</c>.</param>
    /// <param name="parameters">The query (and form) parameters, decoded and sorted by name; <see langword="null"/> for none.</param>
    public static StringToSign Build(
        string method,
        string? accept,
        string? contentMd5,
        string? contentType,
        string? date,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string path,
        IReadOnlyList<KeyValuePair<string, string>>? parameters)
    {
        var length = method.Length + Len(accept) + Len(contentMd5) + Len(contentType) + Len(date) + 5 + path.Length;
        for (var i = 0; i < headers.Count; i++)
        {
            length += headers[i].Key.Length + headers[i].Value.Length + 2;
        }

        var parameterCount = parameters?.Count ?? 0;
        for (var i = 0; i < parameterCount; i++)
        {
            length += parameters![i].Key.Length + parameters[i].Value.Length + 2;
        }

        var buffer = ArrayPool<char>.Shared.Rent(length);
        var writer = new Writer(buffer);
        writer.Line(method);
        writer.Line(accept);
        writer.Line(contentMd5);
        writer.Line(contentType);
        writer.Line(date);
        for (var i = 0; i < headers.Count; i++)
        {
            writer.Append(headers[i].Key);
            writer.Append(':');
            writer.Line(headers[i].Value);
        }

        writer.Append(path);
        for (var i = 0; i < parameterCount; i++)
        {
            writer.Append(i == 0 ? '?' : '&');
            writer.Append(parameters![i].Key);

            // A parameter without a value is signed as its name alone.
            if (parameters[i].Value.Length > 0)
            {
                writer.Append('=');
                writer.Append(parameters[i].Value);
            }
        }

        return new StringToSign(buffer, writer.Length);
    }

    /// <summary><c>Base64(HMAC-SHA256(key, UTF8(chars[..count])))</c>, the key being the UTF-8 bytes of the AppSecret.</summary>
    public static string Sign(byte[] key, char[] chars, int count)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(count));
        try
        {
            var length = Encoding.UTF8.GetBytes(chars, 0, count, bytes, 0);
#if NET
            Span<byte> hash = stackalloc byte[HashBytes];
            HMACSHA256.HashData(key, bytes.AsSpan(0, length), hash);
            return Convert.ToBase64String(hash);
#else
            using var hmac = new HMACSHA256(key);
            return Convert.ToBase64String(hmac.ComputeHash(bytes, 0, length));
#endif
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary><c>Base64(MD5(body))</c>, the value of <c>Content-MD5</c>.</summary>
    public static string ContentMd5(ReadOnlySpan<byte> body)
    {
        // MD5 is what the gateway's protocol prescribes for Content-MD5: an integrity check of the body under the
        // HMAC signature, not a security boundary of its own.
#pragma warning disable CA5351
#if NET
        Span<byte> hash = stackalloc byte[Md5Bytes];
        MD5.HashData(body, hash);
        return Convert.ToBase64String(hash);
#else
        var bytes = ArrayPool<byte>.Shared.Rent(body.Length);
        try
        {
            body.CopyTo(bytes);
            using var md5 = MD5.Create();
            return Convert.ToBase64String(md5.ComputeHash(bytes, 0, body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
#endif
#pragma warning restore CA5351
    }

    /// <summary>
    /// The query parameters of <paramref name="query"/> (with or without its <c>?</c>), decoded (the gateway signs
    /// them not URL-encoded) and sorted by name; <see langword="null"/> when there are none. For a repeated name the
    /// first value is signed.
    /// </summary>
    public static List<KeyValuePair<string, string>>? QueryParameters(string query)
    {
        var start = query.Length > 0 && query[0] == '?' ? 1 : 0;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Substring(start).Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair.Substring(0, equals));
            if (!Contains(parameters, name))
            {
                parameters.Add(new(name, equals < 0 ? string.Empty : Decode(pair.Substring(equals + 1))));
            }
        }

        parameters.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return parameters.Count == 0 ? null : parameters;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static bool Contains(List<KeyValuePair<string, string>> parameters, string name)
    {
        foreach (var parameter in parameters)
        {
            if (string.Equals(parameter.Key, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static int Len(string? value) => value?.Length ?? 0;

    /// <summary>Appends to a buffer sized beforehand.</summary>
    private struct Writer(char[] buffer)
    {
        public int Length { get; private set; }

        public void Append(char c) => buffer[Length++] = c;

        public void Append(string? text)
        {
            if (!string.IsNullOrEmpty(text))
            {
                text!.CopyTo(0, buffer, Length, text.Length);
                Length += text.Length;
            }
        }

        public void Line(string? text)
        {
            Append(text);
            Append('\n');
        }
    }

    /// <summary>A string to sign in a pooled buffer.</summary>
    public readonly struct StringToSign(char[] buffer, int length) : IDisposable
    {
        /// <summary>The signature of this string with <paramref name="key"/>, the UTF-8 bytes of the AppSecret.</summary>
        public string Sign(byte[] key) => GatewaySignature.Sign(key, buffer, length);

        public override string ToString() => new(buffer, 0, length);

        public void Dispose() => ArrayPool<char>.Shared.Return(buffer);
    }
}
