using System;
using AliTryOn;
using AliTryOn.AspNetCore;
using AliTryOn.AspNetCore.Configuration;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an <see cref="AppImageHost"/>: the app itself hosts the images AliTryOn publishes.</summary>
public static class AppImageHostServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="AppImageHost"/> as a singleton and as the <see cref="TryOnImageHost"/> of every
    /// <see cref="TryOnClient"/> from dependency injection, bound from the application's configuration section
    /// <c>AliTryOn:Images:App</c> (when an <see cref="IConfiguration"/> is registered, as in any host) and then from
    /// <paramref name="configure"/>. Options are validated when the host starts. Serve the images with
    /// <c>app.MapTryOnImages()</c>.
    /// </summary>
    /// <remarks>
    /// Images are kept in the registered <see cref="IDistributedCache"/> unless <see cref="AppImageHostOptions.FolderPath"/>
    /// is set: add <c>services.AddDistributedMemoryCache()</c> for a single instance, or a cache the instances share (such as
    /// Redis) when several serve the app. The host's clock is the registered <see cref="TimeProvider"/>; the system clock is
    /// registered if there is none. For a named client only, register the host under the client's name instead:
    /// <c>services.AddKeyedSingleton&lt;TryOnImageHost&gt;("name", (sp, _) =&gt; sp.GetRequiredService&lt;AppImageHost&gt;())</c>
    /// after calling this method.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">
    /// At host start, or when the host is first resolved: a setting is missing or invalid. The message names the
    /// configuration key, for example <c>AliTryOn:Images:App:PublicBaseUrl</c>, and never quotes the signing key.
    /// </exception>
    /// <exception cref="InvalidOperationException">When the host is first resolved: no folder is set and no <see cref="IDistributedCache"/> is registered.</exception>
    public static IServiceCollection AddTryOnAppImageHost(this IServiceCollection services, Action<AppImageHostOptions>? configure = null) =>
        AddCore(services, static provider => provider.GetService<IConfiguration>()?.GetSection(AppImageHostOptions.SectionName), AppImageHostOptions.SectionName, configure);

    /// <summary>
    /// Registers an <see cref="AppImageHost"/> as <see cref="AddTryOnAppImageHost(IServiceCollection, Action{AppImageHostOptions}?)"/>
    /// does, bound from <paramref name="configuration"/> and then from <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The section holding <c>PublicBaseUrl</c>, <c>SigningKey</c>, <c>Path</c> and <c>FolderPath</c>, such as
    /// <c>builder.Configuration.GetSection("AliTryOn:Images:App")</c>; or the application's whole configuration
    /// (<c>builder.Configuration</c>), whose section <c>AliTryOn:Images:App</c> is then read.
    /// </param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the host is first resolved: a setting is missing or invalid; the message names the configuration key.</exception>
    /// <exception cref="InvalidOperationException">When the host is first resolved: no folder is set and no <see cref="IDistributedCache"/> is registered.</exception>
    public static IServiceCollection AddTryOnAppImageHost(this IServiceCollection services, IConfiguration configuration, Action<AppImageHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration as IConfigurationSection ?? configuration.GetSection(AppImageHostOptions.SectionName);
        AliTryOn.DependencyInjection.UnknownSettings.ReadElsewhere(services, section);
        return AddCore(services, _ => section, section.Path, configure);
    }

    private static IServiceCollection AddCore(
        IServiceCollection services,
        Func<IServiceProvider, IConfiguration?> configuration,
        string sectionPath,
        Action<AppImageHostOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AppImageHostOptions>();
        options.Configure<IServiceProvider>((target, provider) =>
        {
            if (configuration(provider) is { } section)
            {
                AppImageHostOptionsBinder.Bind(section, target, sectionPath);
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (IsRegistered(services))
        {
            // A repeat call adds its configuration above; the host, its checks and its clock exist once.
            return services;
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppImageHostOptions>>(new AppImageHostOptionsValidator(sectionPath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(static provider =>
        {
            var settings = provider.GetRequiredService<IOptions<AppImageHostOptions>>().Value;
            return new AppImageHost(
                settings,
                provider.GetService<IDistributedCache>(), // the host refuses a missing cache when it needs one
                provider.GetRequiredService<TimeProvider>(),
                provider.GetService<ILoggerFactory>());
        });
        services.AddSingleton<TryOnImageHost>(static provider => provider.GetRequiredService<AppImageHost>());
        return services;
    }

    private static bool IsRegistered(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(AppImageHost) && !descriptor.IsKeyedService)
            {
                return true;
            }
        }

        return false;
    }
}
