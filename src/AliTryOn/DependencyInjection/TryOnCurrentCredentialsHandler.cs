using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Http;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// The authentication handler of clients registered with dependency injection: authenticates each attempt with the
/// credentials current when it is made, as <see cref="TryOnAuthenticationHandler"/> (the AppCode) or
/// <see cref="TryOnSignatureHandler"/> (the AppKey/AppSecret signature) would, so a credential rotated by a configuration
/// reload is used from the next attempt on, retries of a call in flight included. It must stay inside the resilience handler.
/// </summary>
internal sealed class TryOnCurrentCredentialsHandler(TryOnClientSettings settings) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // One volatile read per attempt; the header value and the signer were made when the credentials changed.
        var credentials = settings.Current.Credentials;
        if (credentials.Signer is { } signer)
        {
            return SignedAsync(signer, request, cancellationToken);
        }

        TryOnAuthenticationHandler.Authenticate(request, credentials.Authorization!, credentials.Nonces);
        return base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SignedAsync(RequestSigner signer, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
