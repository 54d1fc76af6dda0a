using System;
using System.Linq;
using AliTryOn;
using AliTryOn.DependencyInjection;
using AliTryOn.S3;
using AliTryOn.S3.Configuration;
using AliTryOn.S3.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers an <see cref="S3ImageHost"/> as the <see cref="TryOnImageHost"/> of the try-on clients, so their local
/// images (files, streams, bytes) are published to an S3-compatible bucket.
/// </summary>
/// <remarks>
/// A host registered without a name serves every client registered with <c>AddTryOnClient</c>; one registered with a
/// client's name serves that client only, ahead of an unnamed one. <see cref="TryOnClientOptions.ImageHost"/>, when
/// set, comes before both. The host is a singleton that owns its S3 client, created when a client first needs it;
/// its options are validated when the host starts.
/// </remarks>
public static class TryOnS3ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the image host of every client, bound from the application's configuration section
    /// <c>AliTryOn:Images:S3</c> (when an <see cref="IConfiguration"/> is registered, as in any host) and then from
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">
    /// At host start, or when the host is first resolved: a setting is missing or invalid. The message names the
    /// configuration key, for example <c>AliTryOn:Images:S3:BucketName</c>, and quotes no credential.
    /// </exception>
    public static IServiceCollection AddTryOnS3ImageHost(this IServiceCollection services, Action<S3ImageHostOptions>? configure = null) =>
        AddCore(services, name: null, static provider => provider.GetService<IConfiguration>()?.GetSection(S3ImageHostOptions.SectionName), S3OptionKeys.ForSection(S3ImageHostOptions.SectionName), configure);

    /// <summary>
    /// Registers the image host of every client, bound from <paramref name="configuration"/> (usually
    /// <c>Configuration.GetSection("AliTryOn:Images:S3")</c>) and then from <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <c>BucketName</c>, <c>ServiceUrl</c> and the other settings.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the host is first resolved: a setting is missing or invalid.</exception>
    public static IServiceCollection AddTryOnS3ImageHost(this IServiceCollection services, IConfiguration configuration, Action<S3ImageHostOptions>? configure = null)
    {
        ThrowIfNull(configuration, nameof(configuration));
        UnknownSettings.ReadElsewhere(services, configuration);
        return AddCore(services, name: null, _ => configuration, S3OptionKeys.ForSection(configuration), configure);
    }

    /// <summary>
    /// Registers the image host of the client registered under <paramref name="clientName"/>
    /// (<c>AddTryOnClient(clientName, …)</c>), bound from <paramref name="configuration"/> and then from
    /// <paramref name="configure"/>. It is a keyed <see cref="TryOnImageHost"/> service with that key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="clientName">The name of the client, also the service key of the host.</param>
    /// <param name="configuration">The section of this host's settings.</param>
    /// <param name="configure">Sets or overrides options in code, after configuration; optional.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="clientName"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="clientName"/> is empty.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the host is first resolved: a setting is missing or invalid.</exception>
    public static IServiceCollection AddTryOnS3ImageHost(this IServiceCollection services, string clientName, IConfiguration configuration, Action<S3ImageHostOptions>? configure = null)
    {
        ThrowIfInvalidName(clientName);
        ThrowIfNull(configuration, nameof(configuration));
        UnknownSettings.ReadElsewhere(services, configuration);
        return AddCore(services, clientName, _ => configuration, S3OptionKeys.ForSection(configuration), configure);
    }

    /// <summary>
    /// Registers the image host of the client registered under <paramref name="clientName"/>, configured in code. It is
    /// a keyed <see cref="TryOnImageHost"/> service with that key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="clientName">The name of the client, also the service key of the host.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="clientName"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="clientName"/> is empty.</exception>
    /// <exception cref="OptionsValidationException">At host start, or when the host is first resolved: a setting is missing or invalid.</exception>
    public static IServiceCollection AddTryOnS3ImageHost(this IServiceCollection services, string clientName, Action<S3ImageHostOptions> configure)
    {
        ThrowIfInvalidName(clientName);
        ThrowIfNull(configure, nameof(configure));
        return AddCore(services, clientName, static _ => null, S3OptionKeys.ForCode(clientName), configure);
    }

    private static IServiceCollection AddCore(
        IServiceCollection services,
        string? name,
        Func<IServiceProvider, IConfiguration?> configuration,
        S3OptionKeys keys,
        Action<S3ImageHostOptions>? configure)
    {
        ThrowIfNull(services, nameof(services));
        var optionsName = name ?? Options.Options.DefaultName;

        var options = services.AddOptions<S3ImageHostOptions>(optionsName);
        options.Configure<IServiceProvider>((target, provider) =>
        {
            if (configuration(provider) is { } section)
            {
                S3ImageHostOptionsBinder.Bind(section, target, optionsName, keys, provider.GetKeyedServices<string>(UnknownSettings.SectionReadElsewhere));
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (IsRegistered(services, optionsName))
        {
            // A repeat registration adds its configuration above; the validator and the host exist once.
            return services;
        }

        services.AddSingleton(new S3ImageHostRegistration(optionsName));
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3ImageHostOptions>>(new S3ImageHostOptionsValidator(optionsName, keys));

        // The container disposes the host, and with it the S3 client it created.
        S3ImageHost Create(IServiceProvider provider) =>
            S3ImageHost.Create(provider.GetRequiredService<IOptionsMonitor<S3ImageHostOptions>>().Get(optionsName));
        if (name is null)
        {
            services.AddSingleton<TryOnImageHost>(Create);
        }
        else
        {
            services.AddKeyedSingleton<TryOnImageHost>(name, (provider, _) => Create(provider));
        }

        return services;
    }

    /// <summary>Whether the host of <paramref name="optionsName"/> is registered already (its marker is there).</summary>
    private static bool IsRegistered(IServiceCollection services, string optionsName) =>
        services.Any(descriptor => !descriptor.IsKeyedService && descriptor.ImplementationInstance is S3ImageHostRegistration registration && registration.Name == optionsName);

    private static void ThrowIfInvalidName(string clientName)
    {
        ThrowIfNull(clientName, nameof(clientName));
        if (string.IsNullOrWhiteSpace(clientName))
        {
            throw new ArgumentException("The client name must not be empty; use the overloads without a name for the host of every client.", nameof(clientName));
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
