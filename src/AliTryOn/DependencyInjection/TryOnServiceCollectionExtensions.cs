using System;
using System.Diagnostics.Metrics;
using System.Linq;
using AliTryOn;
using AliTryOn.Client;
using AliTryOn.DependencyInjection;
using AliTryOn.Diagnostics;
using AliTryOn.Downloads;
using AliTryOn.Http;
using AliTryOn.Images;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="TryOnClient"/> with dependency injection, through <c>IHttpClientFactory</c>.</summary>
public static class TryOnServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default <see cref="TryOnClient"/>, bound from the application's configuration section
    /// <c>AliTryOn</c> (when an <see cref="IConfiguration"/> is registered, as in any host) and then from
    /// <paramref name="configure"/>. Options are validated when the host starts.
    /// </summary>
    /// <remarks>
    /// The client follows reloads of the configuration without a restart, resolved instances included: a rotated
    /// AppCode or AppKey/AppSecret is sent from the next attempt, and changed rate limits, time limits and retries apply
    /// from the next call; the endpoint, polling and image settings apply to clients resolved after the reload. A reload
    /// that leaves the options invalid is not applied: the clients keep the last valid options, and a warning (event id
    /// 1150) names the keys at fault.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns>The builder of the client's <see cref="System.Net.Http.HttpClient"/>, to add handlers or settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The client is registered already with another configuration section: the two would merge.</exception>
    /// <exception cref="OptionsValidationException">
    /// At host start, or when the client is first resolved: a setting is missing or invalid. The message names the
    /// configuration key, for example <c>AliTryOn:AppCode</c>.
    /// </exception>
    public static IHttpClientBuilder AddTryOnClient(this IServiceCollection services, Action<TryOnClientOptions>? configure = null) =>
        AddCore(services, name: null, sp => sp.GetService<IConfiguration>()?.GetSection(TryOnClientOptions.SectionName), TryOnClientOptions.SectionName, configure);

    /// <summary>
    /// Registers the default <see cref="TryOnClient"/>, bound from <paramref name="configuration"/> (usually a section
    /// such as <c>Configuration.GetSection("AliTryOn")</c>) and then from <paramref name="configure"/>.
    /// </summary>
    /// <remarks>Follows reloads of <paramref name="configuration"/> as <see cref="AddTryOnClient(IServiceCollection, Action{TryOnClientOptions}?)"/> describes.</remarks>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding <c>Endpoint</c>, <c>AppCode</c> and the other settings.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns>The builder of the client's <see cref="System.Net.Http.HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The client is registered already with another configuration section: the two would merge.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the client is first resolved: a setting is missing or invalid.</exception>
    public static IHttpClientBuilder AddTryOnClient(this IServiceCollection services, IConfiguration configuration, Action<TryOnClientOptions>? configure = null)
    {
        ThrowIfNull(configuration, nameof(configuration));
        return AddCore(services, name: null, _ => configuration, PathOf(configuration), configure);
    }

    /// <summary>
    /// Registers a <see cref="TryOnClient"/> under <paramref name="name"/>, for an application that uses several
    /// AppCodes. Resolve it as a keyed service: <c>[FromKeyedServices("name")] TryOnClient client</c> or
    /// <c>provider.GetRequiredKeyedService&lt;TryOnClient&gt;("name")</c>.
    /// </summary>
    /// <remarks>Follows reloads of <paramref name="configuration"/> as <see cref="AddTryOnClient(IServiceCollection, Action{TryOnClientOptions}?)"/> describes.</remarks>
    /// <param name="services">The services.</param>
    /// <param name="name">The name of the client, also its service key.</param>
    /// <param name="configuration">The configuration section of this client.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns>The builder of the client's <see cref="System.Net.Http.HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The client is registered already with another configuration section: the two would merge.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the client is first resolved: a setting is missing or invalid.</exception>
    public static IHttpClientBuilder AddTryOnClient(this IServiceCollection services, string name, IConfiguration configuration, Action<TryOnClientOptions>? configure = null)
    {
        ThrowIfInvalidName(name);
        ThrowIfNull(configuration, nameof(configuration));
        return AddCore(services, name, _ => configuration, PathOf(configuration), configure);
    }

    /// <summary>
    /// Registers a <see cref="TryOnClient"/> under <paramref name="name"/>, configured in code. Resolve it as a keyed
    /// service: <c>[FromKeyedServices("name")] TryOnClient client</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The name of the client, also its service key.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's <see cref="System.Net.Http.HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the client is first resolved: a setting is missing or invalid.</exception>
    public static IHttpClientBuilder AddTryOnClient(this IServiceCollection services, string name, Action<TryOnClientOptions> configure)
    {
        ThrowIfInvalidName(name);
        ThrowIfNull(configure, nameof(configure));
        return AddCore(services, name, _ => null, sectionPath: null, configure);
    }

    private static IHttpClientBuilder AddCore(
        IServiceCollection services,
        string? name,
        Func<IServiceProvider, IConfiguration?> configuration,
        string? sectionPath,
        Action<TryOnClientOptions>? configure)
    {
        ThrowIfNull(services, nameof(services));
        var optionsName = name ?? Options.Options.DefaultName;
        var keys = sectionPath is null ? OptionKeys.ForCode(name) : OptionKeys.ForSection(sectionPath);
        var existing = Registration(services, optionsName);
        if (existing?.SectionPath is { } first && sectionPath is not null && !string.Equals(first, sectionPath, StringComparison.OrdinalIgnoreCase))
        {
            // Most often a copy-paste slip; merged, one section's endpoint would go out with the other's AppCode.
            throw new InvalidOperationException(
                $"The TryOnClient{(name is null ? string.Empty : $" named '{name}'")} is already registered with the configuration section '{first}'; registering it again with '{sectionPath}' would merge the two, each setting of the second over the first. Register each client once, or give this one a name of its own.");
        }

        var options = services.AddOptions<TryOnClientOptions>(optionsName);
        options.Configure<IServiceProvider>((target, provider) =>
        {
            if (configuration(provider) is { } section)
            {
                // Other clients' sections, and the image hosts' sections of the application's choosing, may be inside this one.
                var others = provider.GetServices<TryOnClientRegistration>().Where(other => other.Name != optionsName).Select(other => other.SectionPath).OfType<string>()
                    .Concat(provider.GetKeyedServices<string>(UnknownSettings.SectionReadElsewhere));
                TryOnClientOptionsBinder.Bind(section, target, optionsName, keys, others);
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var httpClientName = name is null ? typeof(TryOnClient).FullName! : typeof(TryOnClient).FullName + ":" + name;
        if (existing is not null)
        {
            // A section after code alone is the one later sections are compared with.
            existing.SectionPath ??= sectionPath;
            // A repeat registration adds its configuration above; handlers, checks and the service exist once.
            return services.AddHttpClient(httpClientName);
        }

        var registration = new TryOnClientRegistration(optionsName, sectionPath);
        services.AddSingleton(registration);
        options.ValidateOnStart();
        // Without an IConfiguration in the container nothing is bound: the settings are the code's, named as such (a
        // message advising a configuration key or an environment variable would send the user where nothing is read).
        services.AddSingleton<IValidateOptions<TryOnClientOptions>>(provider => new TryOnClientOptionsValidator(
            optionsName,
            keys.IsConfiguration && configuration(provider) is null ? OptionKeys.ForCode(name) : keys,
            () => configuration(provider)));
        // A reload reaches the options monitor only when the reloaded options are valid.
        services.AddSingleton<IOptionsChangeTokenSource<TryOnClientOptions>>(provider => new TryOnConfigurationChangeTokenSource(
            optionsName,
            configuration(provider),
            provider.GetRequiredService<IOptionsFactory<TryOnClientOptions>>(),
            provider.GetRequiredService<TryOnTelemetry>().Logger));

        services.TryAddSingleton(provider => new TryOnRateLimiterRegistry(provider.GetService<TimeProvider>(), provider.GetRequiredService<TryOnTelemetry>().Logger));
        // One set of instruments per container, from its IMeterFactory, so tests and hosts see only their own.
        services.TryAddSingleton(provider => new TryOnTelemetry(provider.GetService<ILoggerFactory>(), provider.GetService<IMeterFactory>()));

        // The settings the handlers read per call and per attempt, following reloads of the options.
        services.AddKeyedSingleton(optionsName, (provider, _) => new TryOnClientSettings(
            optionsName,
            provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>(),
            provider.GetRequiredService<TryOnRateLimiterRegistry>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<TryOnTelemetry>()));

        // Outermost first: resilience (each attempt goes through the handlers inside it), then authentication (the
        // AppCode or the AppKey/AppSecret signature, as the options choose), so every attempt is signed with a fresh nonce.
        // Both read the client's current settings: the pipeline as each call starts, the credentials for each attempt.
        var builder = services.AddHttpClient(httpClientName)
            // No HttpClient timeout, no automatic redirects, logs without headers, no foreign retry handler.
            .AddTryOnHttpDefaults()
            .AddHttpMessageHandler(provider =>
            {
                var settings = Settings(provider, optionsName);
                return new TryOnResilienceHandler(() => settings.Current.Pipeline, provider.GetService<TimeProvider>() ?? TimeProvider.System);
            })
            .AddHttpMessageHandler(provider => new TryOnCurrentCredentialsHandler(Settings(provider, optionsName)))
            // Innermost, after any handler the application adds: records whether each attempt reached the transport.
            .AddTransportTracker(registration);

        // Result downloads: a second client with the same defaults, the download handler (the same time limits and
        // retries, as for an idempotent read) and no authentication handler; the guard, last, strips any credential a
        // handler might add, so none reaches the storage host.
        var downloadsClientName = typeof(TryOnClient).FullName + ".Downloads" + (name is null ? string.Empty : ":" + name);
        services.AddHttpClient(downloadsClientName)
            .AddTryOnHttpDefaults()
            .AddHttpMessageHandler(provider =>
            {
                var settings = Settings(provider, optionsName);
                return new DownloadHandler(() => settings.Current.DownloadPipeline);
            })
            .AddStorageCredentialGuard();

        // The images a registration's clients published wait for their jobs to end in one place: clients are transient,
        // and the one that sees a job finish may not be the one that submitted it.
        services.AddKeyedSingleton(optionsName, static (_, _) => new ImageCleanups());

        TryOnClient Create(IServiceProvider provider) => new(
            // The factory builds the chain, and runs the registration's handler actions, before it returns the client.
            provider.GetRequiredService<System.Net.Http.IHttpClientFactory>().CreateClient(httpClientName),
            Settings(provider, optionsName).Current.Options,
            provider.GetService<TimeProvider>(),
            provider.GetRequiredService<TryOnTelemetry>(),
            provider.GetRequiredService<System.Net.Http.IHttpClientFactory>().CreateClient(downloadsClientName),
            // TryOnClientOptions.ImageHost first (the client takes it over this), then a host registered for this
            // client's name, then one registered for every client.
            (name is null ? null : provider.GetKeyedService<TryOnImageHost>(name)) ?? provider.GetService<TryOnImageHost>(),
            provider.GetRequiredKeyedService<ImageCleanups>(optionsName),
            hasTracker: registration.HasTracker); // read after CreateClient above: arguments are evaluated in order

        if (name is null)
        {
            services.AddTransient(Create);
        }
        else
        {
            services.AddKeyedTransient<TryOnClient>(name, (provider, _) => Create(provider));
        }

        return builder;
    }

    private static TryOnClientRegistration? Registration(IServiceCollection services, string optionsName)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(TryOnClientRegistration)
                && !descriptor.IsKeyedService
                && descriptor.ImplementationInstance is TryOnClientRegistration registration
                && registration.Name == optionsName)
            {
                return registration;
            }
        }

        return null;
    }

    private static TryOnClientSettings Settings(IServiceProvider provider, string optionsName) =>
        provider.GetRequiredKeyedService<TryOnClientSettings>(optionsName);

    private static string PathOf(IConfiguration configuration) => (configuration as IConfigurationSection)?.Path ?? string.Empty;

    private static void ThrowIfInvalidName(string name)
    {
        ThrowIfNull(name, nameof(name));
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("The client name must not be empty; use the overloads without a name for the default client.", nameof(name));
        }
    }

    private static void ThrowIfNull(object? value, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName);
        }
    }
}
