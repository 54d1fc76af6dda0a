using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Client;
using AliTryOn.Http;

namespace AliTryOn;

/// <summary>
/// Authenticates every request with the API gateway's AppKey/AppSecret signature, the alternative to
/// <see cref="TryOnAuthenticationHandler"/>'s AppCode: on each send it sets <c>X-Ca-Key</c>, a fresh
/// <c>X-Ca-Nonce</c>, <c>X-Ca-Timestamp</c> (milliseconds, from the clock given), <c>X-Ca-Signature-Method</c>
/// (<c>HmacSHA256</c>), <c>Content-MD5</c> of the body, and <c>X-Ca-Signature</c> with the
/// <c>X-Ca-Signature-Headers</c> it covers, replacing any value already there.
/// </summary>
/// <remarks>
/// <para>
/// The string signed is built from the request exactly as it is sent: method, <c>Accept</c>, <c>Content-MD5</c>,
/// <c>Content-Type</c>, <c>Date</c> (empty when absent), every <c>X-Ca-*</c> header (names lowercase and sorted;
/// never <c>X-Ca-Signature</c> or <c>X-Ca-Signature-Headers</c>), then the path and the query parameters sorted by
/// name. Form-encoded bodies, whose parameters the gateway would sign too, are not supported: the client sends JSON.
/// </para>
/// <para>
/// A nonce and a timestamp are accepted only once within 15 minutes, so this handler must run once per attempt:
/// place it inside any retry handler (closer to the transport). <see cref="TryOnClient"/> and the
/// <c>AddTryOnClient</c> registration do so when <see cref="TryOnClientOptions.AppKey"/> is set. Add it yourself only
/// when you hand <see cref="TryOnClient"/> an <see cref="HttpClient"/> you built, and change no header or body in a
/// handler inside it. The AppSecret never leaves the process and is never logged or shown.
/// </para>
/// </remarks>
public sealed class TryOnSignatureHandler : DelegatingHandler
{
    internal const string KeyHeader = "X-Ca-Key";
    internal const string SignatureHeader = "X-Ca-Signature";
    internal const string SignatureHeadersHeader = "X-Ca-Signature-Headers";
    internal const string SignatureMethodHeader = "X-Ca-Signature-Method";
    internal const string TimestampHeader = "X-Ca-Timestamp";
    internal const string ContentMd5Header = "Content-MD5";

    private const string SignedHeaderPrefix = "X-Ca-";

    private readonly string _appKey;
    private readonly byte[] _secret;
    private readonly TimeProvider _timeProvider;
    private readonly Func<string> _nonces;

    /// <summary>Creates the handler for the AppKey and AppSecret in <paramref name="options"/>.</summary>
    /// <param name="options">The client options; only <see cref="TryOnClientOptions.AppKey"/> and <see cref="TryOnClientOptions.AppSecret"/> are read, once.</param>
    /// <param name="timeProvider">The clock of <c>X-Ca-Timestamp</c>; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The AppKey or the AppSecret is missing or contains characters they cannot hold; the value is not shown.</exception>
    public TryOnSignatureHandler(TryOnClientOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, nonces: null)
    {
    }

    /// <param name="options">The client options.</param>
    /// <param name="timeProvider">The clock of the timestamps.</param>
    /// <param name="nonces">The source of nonces; <see langword="null"/> for secure random ones. A seam for tests.</param>
    internal TryOnSignatureHandler(TryOnClientOptions options, TimeProvider? timeProvider, Func<string>? nonces)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (TryOnClientOptionsValidator.CheckCredential(options.AppKey, nameof(TryOnClientOptions.AppKey), Client.OptionKeys.Code) is { } keyProblem)
        {
            throw new ArgumentException($"TryOnClientOptions.AppKey {keyProblem}.", nameof(options));
        }

        if (TryOnClientOptionsValidator.CheckCredential(options.AppSecret, nameof(TryOnClientOptions.AppSecret), Client.OptionKeys.Code) is { } secretProblem)
        {
            throw new ArgumentException($"TryOnClientOptions.AppSecret {secretProblem}.", nameof(options));
        }

        _appKey = options.AppKey!;
        _secret = Encoding.UTF8.GetBytes(options.AppSecret!);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _nonces = nonces ?? new NonceGenerator().Create;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // No null check: HttpMessageInvoker and DelegatingHandler refuse a null request before it gets here.
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
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
