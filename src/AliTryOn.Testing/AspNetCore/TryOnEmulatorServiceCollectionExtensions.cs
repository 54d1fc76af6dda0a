using System;
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
}
