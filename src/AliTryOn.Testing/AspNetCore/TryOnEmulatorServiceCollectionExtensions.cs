using System;
using System.Linq;
using AliTryOn;
using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="TryOnEmulator"/> with dependency injection.</summary>
public static class TryOnEmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="TryOnEmulator"/> for the application, on the registered <see cref="TimeProvider"/>
    /// (or the system clock). Serve it with <c>app.MapTryOnEmulator()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the emulator's options; optional.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddTryOnEmulator(this IServiceCollection services, Action<TryOnEmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new TryOnEmulatorOptions { TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System };
            configure?.Invoke(options);
            return new TryOnEmulator(options);
        });
        return services;
    }

    /// <summary>
    /// Registers the default <see cref="TryOnClient"/> as <c>AddTryOnClient</c> does, but pointed at the application's
    /// <see cref="TryOnEmulator"/> (registered if need be) in memory: its endpoint and AppCode, and its handler as the
    /// transport of both the client and its result downloads. For tests and local development; nothing is billed.
    /// </summary>
    /// <remarks>
    /// The client still binds the <c>AliTryOn</c> configuration section (polling, retries, timeouts); only the endpoint,
    /// the credentials and the transports are the emulator's. The AppCode is the emulator's first
    /// (<see cref="TryOnEmulator.AppCodes"/>, as configured); for an emulator with none, only AppKey/AppSecret pairs, set
    /// the pair in <paramref name="configure"/>.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets or overrides client options after the emulator's; optional.</param>
    /// <returns>The builder of the client's <see cref="System.Net.Http.HttpClient"/>, as <c>AddTryOnClient</c> returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddTryOnEmulatorClient(this IServiceCollection services, Action<TryOnClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddTryOnEmulator();
        var builder = services
            .AddTryOnClient()
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<TryOnEmulator>().CreateHandler());

        // The emulator's own first AppCode (the one it was configured with, not the default), then the caller's options.
        var options = services.AddOptions<TryOnClientOptions>()
            .Configure<TryOnEmulator>(static (options, emulator) =>
            {
                options.Endpoint = TryOnEmulator.DefaultBaseAddress;
                options.AppCode = emulator.AppCodes.FirstOrDefault();
                options.AppKey = null;
                options.AppSecret = null;
            });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // The emulator also plays the storage host that serves result images.
        services.AddHttpClient(DownloadsClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<TryOnEmulator>().CreateHandler());
        return builder;
    }

    /// <summary>The name of the default client's downloads client, as <c>AddTryOnClient</c> registers it.</summary>
    private const string DownloadsClientName = "AliTryOn.TryOnClient.Downloads";
}
