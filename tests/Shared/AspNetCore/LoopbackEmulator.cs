// Linked into test projects with different global usings: some of these are redundant in some of them.
#pragma warning disable IDE0005
using AliTryOn.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
#pragma warning restore IDE0005

namespace AliTryOn.Tests.Shared;

/// <summary>
/// The emulator served by real Kestrel on 127.0.0.1 (a port the system picks), with quick jobs: the real endpoint of
/// the tool and of the README's recipes. Shared by the test projects that host ASP.NET Core (linked into each).
/// </summary>
public sealed class LoopbackEmulator : IAsyncLifetime
{
    public const string AppCode = "loopback-secret-appcode";
    public const string AppKey = "loopback-appkey";
    public const string AppSecret = "loopback-secret-appsecret";

    private WebApplication? _app;

    public LoopbackEmulator()
        : this(configure: null)
    {
    }

    /// <summary>
    /// The same quick emulator with <paramref name="configure"/>'s changes, such as <c>FetchImages</c> for a test whose
    /// submitted image URLs must really work. Not public: xunit wants a fixture's one public constructor parameterless.
    /// </summary>
    internal LoopbackEmulator(Action<TryOnEmulatorOptions>? configure)
    {
        var options = new TryOnEmulatorOptions
        {
            QueueTime = TimeSpan.FromMilliseconds(20),
            FastDuration = TimeSpan.FromMilliseconds(60),
            QualityDuration = TimeSpan.FromMilliseconds(120),
            ResultsPerTask = 2,
            AppCodes = { AppCode },
            AppKeys = { [AppKey] = AppSecret },
        };
        configure?.Invoke(options);
        Emulator = new TryOnEmulator(options);
    }

    public TryOnEmulator Emulator { get; }

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapTryOnEmulator(Emulator);
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
