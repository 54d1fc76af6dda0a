using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Client;

namespace AliTryOn;

/// <summary>
/// Authenticates every request to the try-on service: sets <c>Authorization: APPCODE &lt;code&gt;</c> and a fresh
/// <c>X-Ca-Nonce</c> on each send, replacing any value already there.
/// </summary>
/// <remarks>
/// <para>
/// The gateway accepts a nonce only once, so this handler must run once per attempt: place it inside any retry
/// handler (closer to the transport). <see cref="TryOnClient"/> and the <c>AddTryOnClient</c> registration do so.
/// Add it yourself only when you hand <see cref="TryOnClient"/> an <see cref="HttpClient"/> you built.
/// </para>
/// <para>Nonces are 128 bits from a cryptographically secure generator. The AppCode is never logged or shown.</para>
/// </remarks>
public sealed class TryOnAuthenticationHandler : DelegatingHandler
{
    internal const string NonceHeader = "X-Ca-Nonce";
    internal const string AuthorizationScheme = "APPCODE";

    private readonly string _authorization;
    private readonly Http.NonceGenerator _nonces = new();

    /// <summary>Creates the handler for the AppCode in <paramref name="options"/>.</summary>
    /// <param name="options">The client options; only <see cref="TryOnClientOptions.AppCode"/> is read, once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The AppCode is missing or contains characters a header cannot carry.</exception>
    public TryOnAuthenticationHandler(TryOnClientOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var problem = TryOnClientOptionsValidator.CheckAppCode(options.AppCode);
        if (problem is not null)
        {
            // Options set for the signing mode need the other handler: say so rather than ask for an AppCode.
            var signing = options.AppCode is null && (options.AppKey is not null || options.AppSecret is not null)
                ? " These options set AppKey/AppSecret (the gateway's signing mode): use TryOnSignatureHandler for them instead."
                : string.Empty;
            throw new ArgumentException($"TryOnClientOptions.AppCode {problem}.{signing}", nameof(options));
        }

        // Kept as the header value so each send only swaps strings; the parsed form is not needed.
        _authorization = AuthorizationScheme + " " + options.AppCode;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // No null check: HttpMessageInvoker and DelegatingHandler refuse a null request before it gets here.
        Authenticate(request, _authorization, _nonces);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Sets <paramref name="authorization"/> (<c>APPCODE …</c>) and a fresh nonce on one attempt, replacing any already there.</summary>
    internal static void Authenticate(HttpRequestMessage request, string authorization, Http.NonceGenerator nonces)
    {
        var headers = request.Headers;
        headers.Remove("Authorization");
        headers.TryAddWithoutValidation("Authorization", authorization);
        headers.Remove(NonceHeader);
        headers.TryAddWithoutValidation(NonceHeader, nonces.Create());
    }
}
