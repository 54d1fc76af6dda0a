namespace AliTryOn.Benchmarks.Contenders;

/// <summary>The Refit peer's equivalent of the SDK's authentication: the same Authorization and a fresh nonce per send.</summary>
public sealed class RefitAuthenticationHandler(string appCode) : DelegatingHandler
{
    private readonly string _authorization = "APPCODE " + appCode;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", RawTryOnClient.CreateNonce());
        return base.SendAsync(request, cancellationToken);
    }
}
