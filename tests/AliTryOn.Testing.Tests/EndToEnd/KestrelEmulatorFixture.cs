using AliTryOn.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>
/// The standalone emulator server on real Kestrel, on 127.0.0.1 with a port the system picks. Jobs finish at once
/// (zero durations) so tests exercise the network path, not time; time is tested on fake clocks elsewhere.
/// </summary>
public sealed class KestrelEmulatorFixture : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The server's only AppKey/AppSecret pair, from its command line.</summary>
    public const string AppKey = "e2e-appkey";

    public const string AppSecret = "e2e-appsecret";

    public Uri Address { get; private set; } = null!;

    public TryOnEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = EmulatorServer.Create([
            "--urls", "http://127.0.0.1:0",
            "--Emulator:AppCodes:0=e2e-appcode",
            "--Emulator:AppKeys:" + AppKey + "=" + AppSecret,
            "--Emulator:QueueTime=00:00:00",
            "--Emulator:FastDuration=00:00:00",
            "--Emulator:QualityDuration=00:00:00",
            // These tests are about what crosses the network between client and service, with made-up image URLs;
            // the server's fetching and checking of real images is tested in ServerImageFetchTests.
            "--Emulator:FetchImages=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        Address = EmulatorServer.Addresses(_app).Single();
        Emulator = _app.Services.GetRequiredService<TryOnEmulator>();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// An SDK client over real sockets. Polling and retry delays are milliseconds, because jobs finish at once and
    /// these tests are about what crosses the network; timing itself is tested on fake clocks.
    /// </summary>
    public TryOnClient CreateClient(string appCode = "e2e-appcode", string path = "") => new(Options(new Uri(Address, path), o => o.AppCode = appCode));

    /// <summary>An SDK client over real sockets that signs with an AppKey and AppSecret instead of sending an AppCode.</summary>
    public TryOnClient CreateSignedClient(string appSecret = AppSecret, Uri? endpoint = null) => new(Options(endpoint ?? Address, o =>
    {
        o.AppKey = AppKey;
        o.AppSecret = appSecret;
    }));

    private static TryOnClientOptions Options(Uri endpoint, Action<TryOnClientOptions> credentials)
    {
        var options = new TryOnClientOptions
        {
            Endpoint = endpoint,
            Polling = { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
            Retry = { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        };
        credentials(options);
        return options;
    }
}
