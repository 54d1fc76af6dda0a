using System;
using System.Net.Http;
using AliTryOn.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Http;

/// <summary>
/// The handler chain of a client, in one place for clients built with and without dependency injection:
/// resilience (timeouts, retries, rate limits), then authentication (once per attempt), then a transport that never
/// follows redirects.
/// </summary>
internal static class TryOnHttpPipeline
{
    /// <summary>Headers whose values request logging must never show.</summary>
    public static readonly string[] SensitiveHeaders = ["Authorization", TryOnAuthenticationHandler.NonceHeader];

    /// <summary>Builds the client a <see cref="TryOnClient"/> owns when it is not handed one.</summary>
    /// <remarks>Its rate limits are its own; clients registered with dependency injection share theirs per AppCode.</remarks>
    public static HttpClient CreateHttpClient(TryOnClientOptions options, HttpMessageHandler? transport, TimeProvider timeProvider, TryOnTelemetry? telemetry)
    {
        var rateLimiter = options.RateLimit.IsEnabled ? new TryOnRateLimiter(options.RateLimit, timeProvider) : null;
        var chain = CreateResilienceHandler(options, timeProvider, rateLimiter, telemetry);
        chain.InnerHandler = new TryOnAuthenticationHandler(options) { InnerHandler = transport ?? CreateTransport() };

        // The pipeline's time limits govern; HttpClient's 100-second default would cut them short.
        return new HttpClient(chain, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The resilience handler for <paramref name="options"/>; it must stay outside the authentication handler.</summary>
    public static DelegatingHandler CreateResilienceHandler(TryOnClientOptions options, TimeProvider timeProvider, TryOnRateLimiter? rateLimiter, TryOnTelemetry? telemetry) =>
        new TryOnResilienceHandler(TryOnResiliencePipeline.Create(options, timeProvider, rateLimiter, telemetry));

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

    /// <summary>
    /// Takes retrying handlers that are not the client's own out of its chain, logging a warning for each:
    /// M.E.Http.Resilience's (the standard resilience handler) and M.E.Http.Polly's. Matched by type name, so the
    /// package needs neither.
    /// </summary>
    public static void RemoveForeignResilience(HttpMessageHandlerBuilder builder, string clientName)
    {
        var handlers = builder.AdditionalHandlers;
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            var type = handlers[i].GetType().FullName;
            if (type is "Microsoft.Extensions.Http.Resilience.ResilienceHandler" or "Microsoft.Extensions.Http.PolicyHttpMessageHandler")
            {
                handlers.RemoveAt(i);
                var logger = builder.Services.GetService<ILoggerFactory>()?.CreateLogger(TryOnDiagnostics.LogCategory);
                if (logger is not null)
                {
                    Log.ForeignResilienceRemoved(logger, type, clientName);
                }
            }
        }
    }
}
