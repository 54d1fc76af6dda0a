using System.Net.Http;

namespace AliTryOn.Http;

/// <summary>
/// The handler chain of a client, in one place for clients built with and without dependency injection:
/// authentication (per attempt) then a transport that never follows redirects.
/// </summary>
internal static class TryOnHttpPipeline
{
    /// <summary>Headers whose values request logging must never show.</summary>
    public static readonly string[] SensitiveHeaders = ["Authorization", TryOnAuthenticationHandler.NonceHeader];

    /// <summary>Builds the client a <see cref="TryOnClient"/> owns when it is not handed one.</summary>
    public static HttpClient CreateHttpClient(TryOnClientOptions options, HttpMessageHandler? transport)
    {
        var authentication = new TryOnAuthenticationHandler(options)
        {
            InnerHandler = transport ?? CreateTransport(),
        };

        // The client's own time limits govern; HttpClient's 100-second default would cut them short.
        return new HttpClient(authentication, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>A transport for the service: pooled connections, no automatic redirects.</summary>
    public static HttpMessageHandler CreateTransport()
    {
#if NET6_0_OR_GREATER
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Long-lived clients still see DNS changes.
            PooledConnectionLifetime = System.TimeSpan.FromMinutes(5),
        };
#else
        return new HttpClientHandler { AllowAutoRedirect = false };
#endif
    }

    /// <summary>
    /// Turns off redirects on a transport someone else created (the <c>IHttpClientFactory</c> primary handler):
    /// credentials must never follow a redirect to another host.
    /// </summary>
    public static void DisableRedirects(HttpMessageHandler transport)
    {
        switch (transport)
        {
            case HttpClientHandler handler:
                handler.AllowAutoRedirect = false;
                break;
#if NET6_0_OR_GREATER
            case SocketsHttpHandler handler:
                handler.AllowAutoRedirect = false;
                break;
#endif
        }
    }
}
