using AliTryOn.Cli.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Cli.Configuration;

/// <summary>
/// The try-on client of one command: for the configured service, for the in-process emulator, or for checks alone
/// (<c>alitryon check</c>: no credentials, nothing sent to the service). With it, the image host that publishes the
/// manifest's local files, if there is one.
/// </summary>
internal sealed class CliConnection(TryOnClient client, string target, string? imageHost, ServiceProvider? provider, TryOnImageHost? ownedHost) : IAsyncDisposable
{
    private const string EmulatorHost = "the in-process emulator's in-memory host";

    /// <summary>Where a client that only checks points: never contacted (the <c>.invalid</c> domain never resolves).</summary>
    private static readonly Uri NoEndpoint = new("https://check.alitryon.invalid/");

    public TryOnClient Client { get; } = client;

    /// <summary>The client's settings as bound; <see langword="null"/> for a client not made from them.</summary>
    public TryOnClientOptions? Settings => provider?.GetService<IOptionsMonitor<TryOnClientOptions>>()?.Get(Microsoft.Extensions.Options.Options.DefaultName);

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, for the connection to the Redis that keeps the shared rate limit
    /// (<c>AliTryOn:RateLimit:Redis</c>), when there is one: until it is made, the run would keep the rate on its own.
    /// </summary>
    /// <returns>Whether the shared limit is ready: connected, or none set.</returns>
    public async Task<bool> SharedLimitReadyAsync(TimeSpan limit, CancellationToken cancellationToken) =>
        provider?.GetService<AliTryOn.Redis.RedisRateLimitStore>() is not { } store
        || await store.ConnectAsync(limit, cancellationToken).ConfigureAwait(false);

    /// <summary>What the client talks to, for messages: an endpoint (never a credential) or "the in-process emulator".</summary>
    public string Target { get; } = target;

    /// <summary>The image host local images are published through, for messages (its type, never a setting); <see langword="null"/> for none.</summary>
    public string? ImageHost { get; } = imageHost;

    /// <exception cref="CliException">No endpoint, or no credentials at all.</exception>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names its configuration key.</exception>
    /// <exception cref="CliException">An image host setting is invalid; the message names its key.</exception>
    public static CliConnection Open(CliContext context, bool emulator, string? configPath, string? appCode)
    {
        var configuration = CliSettings.Build(context.Environment, configPath, appCode);
        var section = configuration.GetSection(CliSettings.Section);
        if (emulator)
        {
            // The Images settings (UrlLifetime, Cleanup, MaxBytes) apply here too; the host is the emulator's. URLs are not
            // fetched, as 'check --emulator' fetches none: the in-process emulator takes them as they are, and its
            // transport, which never leaves the process, knows no other host (every check would fail with 404).
            var images = BoundOptions(context, SendingNothing(configuration), ChecksOnly).Images;
            if (images.CheckUrls)
            {
                context.Error.WriteLine("note: Images:CheckUrls is not applied under --emulator: the in-process emulator takes URL images as they are, and fetches none.");
                images.CheckUrls = false;
            }

            var instance = context.CreateEmulator(context.TimeProvider);
            var client = instance.CreateClient(options =>
            {
                options.Polling.InitialDelay = TimeSpan.FromMilliseconds(250);
                options.Polling.MaxDelay = TimeSpan.FromSeconds(1);
                options.Images = images;
                context.ConfigureClient?.Invoke(options);
            });
            return new CliConnection(client, "the in-process emulator", EmulatorHost, provider: null, ownedHost: null);
        }

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

        return FromServices(context, configuration, section, section["Endpoint"]!, configure: null, noHost: null);
    }

    /// <summary>
    /// A client that checks images and never calls the service: no credentials needed (the configured ones, if any, are
    /// not used). The settings still apply (Images:MaxBytes, time limits…) and are validated; the configured image host
    /// is made (so its settings are checked too) but never used. Without one, the client still reads and checks local files.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names its configuration key.</exception>
    /// <exception cref="CliException">An image host setting is invalid; the message names its key.</exception>
    public static CliConnection OpenForChecks(CliContext context, bool emulator, string? configPath)
    {
        var configuration = CliSettings.Build(context.Environment, configPath, appCode: null);
        return FromServices(
            context,
            emulator ? new ConfigurationBuilder().Build() : configuration,
            SendingNothing(configuration),
            "no service (checks only)",
            ChecksOnly,
            noHost: emulator ? EmulatorHost : null);
    }

    /// <summary>
    /// The registration an app uses: binds every AliTryOn:* setting (Polling, Retry, Images, timeouts…) and validates them,
    /// naming the key of a bad one. Its OptionsValidationException reaches CliApp, which reports a ConfigurationError.
    /// </summary>
    /// <param name="context">The tool's surroundings.</param>
    /// <param name="hostSettings">The settings the image host is made from (none for a check under <c>--emulator</c>).</param>
    /// <param name="section">The "AliTryOn" section.</param>
    /// <param name="target">What the client talks to, for messages.</param>
    /// <param name="configure">For a client that only checks: its placeholder endpoint and credentials; <see langword="null"/> for the service's.</param>
    /// <param name="noHost">For a check: what stands for the host when the settings configure none (<see langword="null"/>: none).</param>
    private static CliConnection FromServices(CliContext context, IConfiguration hostSettings, IConfigurationSection section, string target, Action<TryOnClientOptions>? configure, string? noHost)
    {
        var host = ImageHostFactory.Create(hostSettings, context.CreateS3ImageHost);
        var checksOnly = configure is not null;
        ServiceProvider? provider = null;
        try
        {
            var services = new ServiceCollection();
            services.AddSingleton(context.TimeProvider);
            services.AddTryOnClient(section, options =>
            {
                configure?.Invoke(options);
                options.ImageHost = host ?? (checksOnly ? CheckOnlyImageHost.Instance : null);
                context.ConfigureClient?.Invoke(options);
            });
            if (!checksOnly)
            {
                SharedRateLimit.Add(services, section);
            }
            provider = services.BuildServiceProvider();
            var described = host is null ? noHost : host.GetType().Name;
            return new CliConnection(provider.GetRequiredService<TryOnClient>(), target, described, provider, host);
        }
        catch
        {
            provider?.Dispose();
            (host as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The options the settings give, validated, with the service's endpoint and credentials set by <paramref name="configure"/>.</summary>
    private static TryOnClientOptions BoundOptions(CliContext context, IConfigurationSection section, Action<TryOnClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context.TimeProvider);
        services.AddTryOnClient(section, configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);
    }

    /// <summary>
    /// The "AliTryOn" section for a client that sends nothing to the service (a check, the in-process emulator): without
    /// the tool's shared rate limit (<see cref="SharedRateLimit.Key"/>), which only a client of the service registers,
    /// so the client's validation does not refuse it as a setting no store reads.
    /// </summary>
    private static IConfigurationSection SendingNothing(IConfiguration configuration) => new ConfigurationBuilder()
        .AddConfiguration(configuration)
        .AddInMemoryCollection([new($"{CliSettings.Section}:{SharedRateLimit.Key}", string.Empty)])
        .Build()
        .GetSection(CliSettings.Section);

    /// <summary>An endpoint and an AppCode for a client that never calls the service; the configured credentials are dropped.</summary>
    private static void ChecksOnly(TryOnClientOptions options)
    {
        options.Endpoint = NoEndpoint;
        options.AppCode = "alitryon-check-only";
        options.AppKey = null;
        options.AppSecret = null;
        options.AllowInsecureHttp = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
        }

        (ownedHost as IDisposable)?.Dispose();
    }
}
