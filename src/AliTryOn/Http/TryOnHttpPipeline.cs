using System;
using System.Collections.Concurrent;
using System.Net.Http;
using AliTryOn.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

using Microsoft.Extensions.Logging.Abstractions;

namespace AliTryOn.Http;

/// <summary>
/// The handler chain of a client: resilience (timeouts, retries, rate limits), then authentication (once per attempt:
/// the AppCode, or the AppKey/AppSecret signature, as the options choose), then a transport that never follows redirects.
/// </summary>
/// <remarks>
/// Clients registered with dependency injection have the same chain, from the same handlers, with their pipeline and
/// credentials read from <see cref="DependencyInjection.TryOnClientSettings"/> as each call and attempt starts, so
/// they follow configuration reloads; the chains built here keep the options they were made with.
/// </remarks>
internal static class TryOnHttpPipeline
{
    /// <summary>Headers whose values request logging must never show (a signature, like the AppCode, opens the API).</summary>
    public static readonly string[] SensitiveHeaders = ["Authorization", TryOnAuthenticationHandler.NonceHeader, TryOnSignatureHandler.SignatureHeader];

    /// <summary>Builds the client a <see cref="TryOnClient"/> owns when it is not handed one.</summary>
    /// <remarks>Its rate limits are its own; clients registered with dependency injection share theirs per AppCode.</remarks>
    public static HttpClient CreateHttpClient(TryOnClientOptions options, HttpMessageHandler? transport, TimeProvider timeProvider, TryOnTelemetry? telemetry)
    {
        var rateLimiter = options.RateLimit.IsEnabled ? new TryOnRateLimiter(options, timeProvider, telemetry?.Logger ?? NullLogger.Instance) : null;
        var chain = CreateResilienceHandler(options, timeProvider, rateLimiter, telemetry);
        var authentication = CreateAuthenticationHandler(options, timeProvider);
        authentication.InnerHandler = new TransportTracker { InnerHandler = transport ?? SharedTransport };
        chain.InnerHandler = authentication;

        // The pipeline's time limits govern; HttpClient's 100-second default would cut them short.
        return new HttpClient(chain, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The resilience handler for <paramref name="options"/>; it must stay outside the authentication handler.</summary>
    private static DelegatingHandler CreateResilienceHandler(TryOnClientOptions options, TimeProvider timeProvider, TryOnRateLimiter? rateLimiter, TryOnTelemetry? telemetry) =>
        new TryOnResilienceHandler(TryOnResiliencePipeline.Create(options, timeProvider, rateLimiter, telemetry), timeProvider);

    /// <summary>
    /// The handler that authenticates each attempt, chosen by the credentials the options set: a
    /// <see cref="TryOnSignatureHandler"/> when an AppKey or AppSecret is set, else a <see cref="TryOnAuthenticationHandler"/>.
    /// It must stay inside the resilience handler.
    /// </summary>
    public static DelegatingHandler CreateAuthenticationHandler(TryOnClientOptions options, TimeProvider timeProvider) =>
        options.UsesSignature ? new TryOnSignatureHandler(options, timeProvider) : new TryOnAuthenticationHandler(options);

    /// <summary>
    /// Builds the client a <see cref="TryOnClient"/> downloads result images with when it is not handed one: the
    /// download handler (the service's time limits and backoff; retried as an idempotent read), then the
    /// <see cref="Downloads.StorageCredentialGuard"/>, then the transport. No authentication handler: neither the AppCode
    /// nor any gateway header reaches the storage host.
    /// </summary>
    /// <param name="options">The client's settings (time limits and retries).</param>
    /// <param name="transport">The innermost handler, shared with the service's chain when the caller passed one; <see langword="null"/> for a new pooled transport.</param>
    /// <param name="timeProvider">The clock of delays and timeouts.</param>
    /// <param name="telemetry">Where retries are logged and counted, or <see langword="null"/>.</param>
    public static HttpClient CreateDownloadHttpClient(TryOnClientOptions options, HttpMessageHandler? transport, TimeProvider timeProvider, TryOnTelemetry? telemetry)
    {
        var chain = CreateDownloadHandler(options, timeProvider, telemetry);
        chain.InnerHandler = new Downloads.StorageCredentialGuard { InnerHandler = transport ?? SharedTransport };
        return new HttpClient(chain, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The outer handler of a downloads client: resilience, safe redirects, and the checks of an image.</summary>
    private static DelegatingHandler CreateDownloadHandler(TryOnClientOptions options, TimeProvider timeProvider, TryOnTelemetry? telemetry) =>
        new Downloads.DownloadHandler(TryOnResiliencePipeline.CreateForDownloads(options, timeProvider, telemetry));

    /// <summary>
    /// The transport of every client built without one in this process, the service's calls and result downloads alike:
    /// clients come and go without opening sockets of their own or leaving handlers to be disposed. It holds no
    /// credential (handlers above it add them per request) and follows no redirect.
    /// </summary>
    public static HttpMessageHandler SharedTransport => Transport.Shared;

    /// <summary>A transport for the service: pooled connections, no automatic redirects.</summary>
    private static HttpMessageHandler CreateTransport()
    {
#if NET6_0_OR_GREATER
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Shared by every client of the process, whatever its AppCode, and by downloads: no cookie jar in common.
            UseCookies = false,
            // Long-lived clients still see DNS changes.
            PooledConnectionLifetime = System.TimeSpan.FromMinutes(5),
        };
#else
        return new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
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
    /// Takes retrying handlers that are not the client's own out of its chain, logging a warning for each the first
    /// time (<paramref name="warned"/> holds the types already named: the factory builds the chain again at each handler
    /// lifetime): M.E.Http.Resilience's (the standard resilience handler) and M.E.Http.Polly's. Matched by type name,
    /// so the package needs neither.
    /// </summary>
    public static void RemoveForeignResilience(HttpMessageHandlerBuilder builder, string clientName, ConcurrentDictionary<string, bool> warned)
    {
        var handlers = builder.AdditionalHandlers;
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            var type = handlers[i].GetType().FullName;
            if (type is "Microsoft.Extensions.Http.Resilience.ResilienceHandler" or "Microsoft.Extensions.Http.PolicyHttpMessageHandler")
            {
                handlers.RemoveAt(i);
                var logger = builder.Services.GetService<ILoggerFactory>()?.CreateLogger(TryOnDiagnostics.LogCategory);
                if (logger is not null && warned.TryAdd(type, true))
                {
                    Log.ForeignResilienceRemoved(logger, type, clientName);
                }
            }
        }
    }

    /// <summary>Holds <see cref="SharedTransport"/>, created on first use (the runtime makes that thread-safe).</summary>
    private static class Transport
    {
        public static readonly HttpMessageHandler Shared = CreateTransport();
    }
}
