using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// Signs requests with one AppKey and AppSecret, as <see cref="TryOnSignatureHandler"/> describes: the work of that
/// handler, and of the handler of clients registered with dependency injection, whose credentials may change between
/// attempts. Thread-safe.
/// </summary>
internal sealed class RequestSigner(string appKey, string appSecret, TimeProvider timeProvider, Func<string> nonces)
{
    private const string SignedHeaderPrefix = "X-Ca-";
    private const string KeyHeader = TryOnSignatureHandler.KeyHeader;
    private const string SignatureHeader = TryOnSignatureHandler.SignatureHeader;
    private const string SignatureHeadersHeader = TryOnSignatureHandler.SignatureHeadersHeader;
    private const string SignatureMethodHeader = TryOnSignatureHandler.SignatureMethodHeader;
    private const string TimestampHeader = TryOnSignatureHandler.TimestampHeader;
    private const string ContentMd5Header = TryOnSignatureHandler.ContentMd5Header;

    private readonly string _appKey = appKey;
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(appSecret);
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly Func<string> _nonces = nonces;

    /// <summary>Sets the signing headers of one attempt on <paramref name="request"/>, replacing any already there.</summary>
    public async ValueTask SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI to sign.");
        var content = request.Content;
        string? contentMd5 = null;
        if (content is not null)
        {
            contentMd5 = await ContentMd5Async(content, cancellationToken).ConfigureAwait(false);
            content.Headers.Remove(ContentMd5Header);
            if (contentMd5 is not null)
            {
                content.Headers.TryAddWithoutValidation(ContentMd5Header, contentMd5);
            }
        }

        var headers = request.Headers;
        headers.Remove(SignatureHeader);
        headers.Remove(SignatureHeadersHeader);
        Set(headers, KeyHeader, _appKey);
        Set(headers, TryOnAuthenticationHandler.NonceHeader, _nonces());
        Set(headers, TimestampHeader, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Set(headers, SignatureMethodHeader, GatewaySignature.Method);

        var signed = SignedHeaders(headers, out var signedNames);
        using (var stringToSign = GatewaySignature.Build(
            request.Method.Method,
            Value(headers, "Accept"),
            contentMd5,
            content is null ? null : Value(content.Headers, "Content-Type"),
            Value(headers, "Date"),
            signed,
            uri.AbsolutePath,
            GatewaySignature.QueryParameters(uri.Query)))
        {
            headers.TryAddWithoutValidation(SignatureHeader, stringToSign.Sign(_secret));
        }

        headers.TryAddWithoutValidation(SignatureHeadersHeader, signedNames);
    }

    /// <summary><c>Base64(MD5(body))</c>, or <see langword="null"/> for an empty body (the gateway refuses an MD5 of nothing).</summary>
    private static async ValueTask<string?> ContentMd5Async(HttpContent content, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (content is not ByteArrayContent)
        {
            // Only a ByteArrayContent (the client's, StringContent) is known to serialize the same bytes every time;
            // any other (a stream, a push content, a multipart of streams) may be readable once. Buffered, it is read
            // here and sent after.
#if NET9_0_OR_GREATER
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
            await content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
        }

        using var body = new PooledWriteStream((int)Math.Min(declared ?? 0, int.MaxValue));
#if NET
        await content.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
#else
        await content.CopyToAsync(body).ConfigureAwait(false);
#endif
        return body.Length == 0 ? null : GatewaySignature.ContentMd5(body.Written);
    }

    /// <summary>The <c>X-Ca-*</c> headers to sign, names lowercase and sorted, and their names for <c>X-Ca-Signature-Headers</c>.</summary>
    private static List<KeyValuePair<string, string>> SignedHeaders(HttpRequestHeaders headers, out string names)
    {
        var signed = new List<KeyValuePair<string, string>>(4);
#if NET
        foreach (var header in headers.NonValidated)
        {
            if (IsSigned(header.Key))
            {
                signed.Add(new(header.Key.ToLowerInvariant(), header.Value.ToString()));
            }
        }
#else
        foreach (var header in headers)
        {
            if (IsSigned(header.Key))
            {
                signed.Add(new(header.Key.ToLowerInvariant(), string.Join(", ", header.Value)));
            }
        }
#endif
        signed.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        names = string.Join(",", signed.Select(static header => header.Key));
        return signed;
    }

    private static bool IsSigned(string name) =>
        name.StartsWith(SignedHeaderPrefix, StringComparison.OrdinalIgnoreCase)
        && !name.Equals(SignatureHeader, StringComparison.OrdinalIgnoreCase)
        && !name.Equals(SignatureHeadersHeader, StringComparison.OrdinalIgnoreCase);

    /// <summary>A header's value as it will be sent (several values joined as the transport joins them), or <see langword="null"/>.</summary>
    private static string? Value(HttpHeaders headers, string name)
    {
#if NET
        return headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
#else
        return headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
#endif
    }

    private static void Set(HttpRequestHeaders headers, string name, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, value);
    }
}
