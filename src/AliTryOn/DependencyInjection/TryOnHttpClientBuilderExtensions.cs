using System;
using System.Collections.Concurrent;
using System.Threading;
using AliTryOn.Diagnostics;
using AliTryOn.Downloads;
using AliTryOn.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// What every <c>IHttpClientFactory</c> client the package registers has, whatever its handlers: the service's client
/// and the downloads client alike.
/// </summary>
internal static class TryOnHttpClientBuilderExtensions
{
    /// <summary>
    /// Time limits left to the client's pipeline, no automatic redirects, request logging without headers, and no
    /// foreign retry handler.
    /// </summary>
    public static IHttpClientBuilder AddTryOnHttpDefaults(this IHttpClientBuilder builder)
    {
        builder
            // The pipeline's time limits govern; HttpClient's 100-second default would cut them short.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler((handler, _) => TryOnHttpPipeline.DisableRedirects(handler))
            // The factory's own loggers put request headers (the AppCode) in their structured values at Trace, redacted
            // only in the message text; this client logs its calls without any header instead.
            .RemoveAllLoggers()
            .AddLogger(
                provider => new TryOnHttpClientLogger((provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(TryOnHttpClientLogger.Category)),
                wrapHandlersPipeline: true)
            // For a logger an app adds back (AddDefaultLogger): its message text at least stays redacted.
            .RedactLoggedHeaders(TryOnHttpPipeline.SensitiveHeaders);

        // A foreign retry handler (AddStandardResilienceHandler, AddPolicyHandler) would retry billed submits or stack
        // a second retry layer, so it is taken out of this client's chain, and a warning says so.
        var httpClientName = builder.Name;
        var warned = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        return builder.AfterAllHandlers(handlers => TryOnHttpPipeline.RemoveForeignResilience(handlers, httpClientName, warned));
    }

    /// <summary>
    /// Puts a <see cref="StorageCredentialGuard"/> last in the client's handlers, after any an application adds, so that
    /// it runs just before the transport: no <c>Authorization</c> or <c>X-Ca-*</c> header leaves through this client.
    /// </summary>
    public static IHttpClientBuilder AddStorageCredentialGuard(this IHttpClientBuilder builder) =>
        builder.AfterAllHandlers(handlers => handlers.AdditionalHandlers.Add(new StorageCredentialGuard()));

    /// <summary>
    /// Puts a <see cref="TransportTracker"/> last in the service client's handlers, after any an application adds, so
    /// that it runs just before the transport and knows whether each attempt was sent; <paramref name="registration"/>
    /// notes each chain built with it.
    /// </summary>
    public static IHttpClientBuilder AddTransportTracker(this IHttpClientBuilder builder, TryOnClientRegistration registration) =>
        builder.AfterAllHandlers(handlers =>
        {
            handlers.AdditionalHandlers.Add(new TransportTracker());
            registration.TrackerAdded();
        });

    /// <summary>
    /// Runs <paramref name="action"/> on the client's handlers after every other configuration of it,
    /// <c>ConfigureHttpClientDefaults</c> and an application's own handlers included; such actions run in the order added.
    /// </summary>
    private static IHttpClientBuilder AfterAllHandlers(this IHttpClientBuilder builder, Action<HttpMessageHandlerBuilder> action)
    {
        builder.Services.PostConfigure<HttpClientFactoryOptions>(builder.Name, factoryOptions => factoryOptions.HttpMessageHandlerBuilderActions.Add(action));
        return builder;
    }
}
