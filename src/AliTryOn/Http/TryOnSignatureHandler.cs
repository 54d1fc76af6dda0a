using System;
using System.Net.Http;
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

    private readonly RequestSigner _signer;

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

        _signer = new RequestSigner(options.AppKey!, options.AppSecret!, timeProvider ?? TimeProvider.System, nonces ?? new NonceGenerator().Create);
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // No null check: HttpMessageInvoker and DelegatingHandler refuse a null request before it gets here.
        await _signer.SignAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
