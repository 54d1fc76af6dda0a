using AliTryOn.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Cli.Configuration;

/// <summary>The try-on client of one command: for the configured service, or for the in-process emulator.</summary>
internal sealed class CliConnection(TryOnClient client, string target, ServiceProvider? provider) : IAsyncDisposable
{
    public TryOnClient Client { get; } = client;

    /// <summary>What the client talks to, for messages: an endpoint (never a credential) or "the emulator".</summary>
    public string Target { get; } = target;

    /// <exception cref="CliException">No endpoint, or no credentials at all.</exception>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names its configuration key.</exception>
    public static CliConnection Open(CliContext context, bool emulator, string? configPath, string? appCode)
    {
        if (emulator)
        {
            var instance = context.CreateEmulator(context.TimeProvider);
            var client = instance.CreateClient(options =>
            {
                options.Polling.InitialDelay = TimeSpan.FromMilliseconds(250);
                options.Polling.MaxDelay = TimeSpan.FromSeconds(1);
                context.ConfigureClient?.Invoke(options);
            });
            return new CliConnection(client, "the in-process emulator", provider: null);
        }

        var configuration = CliSettings.Build(context.Environment, configPath, appCode);
        var section = configuration.GetSection(CliSettings.Section);
        // Only the case of nothing configured at all is answered here, with the tool's own variables and --emulator;
        // a half-configured mode (an AppKey without its AppSecret…) is left to the SDK's validation, which names the key.
        if (new[] { "AppCode", "AppKey", "AppSecret" }.All(key => string.IsNullOrWhiteSpace(section[key])))
        {
            throw new CliException(
                "No credentials. Set ALITRYON_APPCODE (or ALITRYON_APPKEY and ALITRYON_APPSECRET) and ALITRYON_ENDPOINT, "
                + "or the AliTryOn__AppCode and AliTryOn__Endpoint forms, or pass --config <file.json> with an \"AliTryOn\" section. "
                + "Use --emulator to try the tool without an account.");
        }

        if (string.IsNullOrWhiteSpace(section["Endpoint"]))
        {
            throw new CliException("No endpoint. Set ALITRYON_ENDPOINT (or AliTryOn__Endpoint) to the API domain from the Alibaba Cloud Market, e.g. https://your-api-domain.");
        }

        // The registration an app uses: binds every AliTryOn:* setting (Polling, Retry, timeouts…) and validates them,
        // naming the key of a bad one. Its OptionsValidationException reaches CliApp, which reports a ConfigurationError.
        var services = new ServiceCollection();
        services.AddSingleton(context.TimeProvider);
        services.AddTryOnClient(section, context.ConfigureClient);
        var provider = services.BuildServiceProvider();
        try
        {
            return new CliConnection(provider.GetRequiredService<TryOnClient>(), section["Endpoint"]!, provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
        }
    }
}
