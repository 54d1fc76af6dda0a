using System.Net.Sockets;
using System.Security.Cryptography;
using AliTryOn.AspNetCore.Signing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>How to build an <see cref="AppServer"/>.</summary>
public sealed record AppServerSettings
{
    public const string DefaultSigningKey = "app-host-tests-signing-key: 0123456789abcdef0123456789abcdef";

    /// <summary>The address the host writes in its URLs; the test clients connect to this server whatever its name.</summary>
    public Uri PublicBaseUrl { get; init; } = new("http://app.tryon.test/");

    public string SigningKey { get; init; } = DefaultSigningKey;

    public string? FolderPath { get; init; }

    /// <summary>The app's clock, registered in its container; the system clock when <see langword="null"/>.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>A cache instance to register (shared between apps); a memory cache of its own when <see langword="null"/>.</summary>
    public IDistributedCache? Cache { get; init; }

    /// <summary>Register no IDistributedCache at all (folder storage).</summary>
    public bool NoCache { get; init; }

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public Action<WebApplication>? ConfigureApp { get; init; }

    public Action<IEndpointConventionBuilder>? ConfigureEndpoint { get; init; }
}

/// <summary>
/// An ASP.NET Core app on real Kestrel, on 127.0.0.1 with a port the system picks: <c>AddTryOnAppImageHost</c>, a
/// distributed cache (or a folder) and <c>MapTryOnImages</c>, with every log captured at Trace.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppServer(WebApplication app, Uri address, LogCapture logs, AppServerSettings settings)
    {
        _app = app;
        Address = address;
        Logs = logs;
        Settings = settings;
    }

    /// <summary>Where Kestrel listens: http://127.0.0.1:{port}/.</summary>
    public Uri Address { get; }

    public LogCapture Logs { get; }

    public AppServerSettings Settings { get; }

    public IServiceProvider Services => _app.Services;

    public AppImageHost Host => _app.Services.GetRequiredService<AppImageHost>();

    public static async Task<AppServer> StartAsync(AppServerSettings? settings = null)
    {
        settings ??= new AppServerSettings();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new LogCapture();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        if (settings.Time is { } time)
        {
            builder.Services.AddSingleton(time);
        }

        if (settings.Cache is { } cache)
        {
            builder.Services.AddSingleton(cache);
        }
        else if (!settings.NoCache)
        {
            builder.Services.AddDistributedMemoryCache();
        }

        builder.Services.AddTryOnAppImageHost(options =>
        {
            options.PublicBaseUrl = settings.PublicBaseUrl;
            options.SigningKey = settings.SigningKey;
            options.FolderPath = settings.FolderPath;
        });
        settings.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        settings.ConfigureApp?.Invoke(app);
        var endpoint = app.MapTryOnImages();
        settings.ConfigureEndpoint?.Invoke(endpoint);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new AppServer(app, address, logs, settings);
    }

    /// <summary>
    /// A plain <see cref="HttpClient"/> whose connections all go to this server, as if the URL's host name resolved to it
    /// (a load balancer that picked this instance): URLs are used exactly as the host returned them.
    /// </summary>
    public HttpClient CreateClient() => new(CreateHandler());

    /// <summary>The transport of <see cref="CreateClient"/>: every connection goes to this server.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Address.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Publishes a fresh PNG (600 + <paramref name="variant"/> by 800 px, so variants differ) through the host: the upload (a new key) and its URL.</summary>
    public async Task<(TryOnImageUpload Upload, Uri Url)> PublishAsync(int variant = 0, TimeSpan? lifetime = null)
    {
        var upload = NewUpload(TestImages.Png(600 + variant, 800), (Settings.Time ?? TimeProvider.System).GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)));
        return (upload, await Host.PublishAsync(upload));
    }

    /// <summary>A memory cache of its own, as <c>AddDistributedMemoryCache</c> registers, to share between apps or give a host directly.</summary>
    public static IDistributedCache NewMemoryCache() => new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));

    /// <summary>An upload with a key in the client's form: a random folder and the content's SHA-256.</summary>
    public static TryOnImageUpload NewUpload(byte[] png, DateTimeOffset expiresAt) =>
        new(NewKey(png), png, "image/png", expiresAt);

    public static string NewKey(byte[] content, string extension = "png") =>
        $"{RandomNumberGenerator.GetHexString(32, lowercase: true)}/{Convert.ToHexStringLower(SHA256.HashData(content))}.{extension}";

    /// <summary>A URL for <paramref name="key"/> signed with this server's signing key (or another), as only someone holding it could make.</summary>
    public Uri SignedUrl(string key, long expires, string? signingKey = null) =>
        new($"{Settings.PublicBaseUrl.ToString().TrimEnd('/')}/tryon-images/{key}?expires={expires}&sig={Sign(key, expires, signingKey)}");

    /// <summary>The signature of <paramref name="key"/> with this server's signing key, or another.</summary>
    public string Sign(string key, long expires, string? signingKey = null) => new ImageUrlSigner(signingKey ?? Settings.SigningKey).Sign(key, expires);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
