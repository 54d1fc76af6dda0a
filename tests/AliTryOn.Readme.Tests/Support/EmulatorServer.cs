using AliTryOn.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AliTryOn.Readme.Tests.Support;

/// <summary>
/// The emulator served by Kestrel on 127.0.0.1 (a port the system picks), with quick jobs: the "real service" of the
/// recipes that call one by its address, as a reader sets it in the environment.
/// </summary>
public sealed class EmulatorServer : IAsyncLifetime
{
    public const string AppCode = "readme-appcode";
    public const string AppKey = "readme-appkey";
    public const string AppSecret = "readme-appsecret";

    private WebApplication? _app;

    public TryOnEmulator Emulator { get; } = new(new TryOnEmulatorOptions
    {
        QueueTime = TimeSpan.FromMilliseconds(50),
        FastDuration = TimeSpan.FromMilliseconds(200),
        QualityDuration = TimeSpan.FromMilliseconds(300),
        AppCodes = { AppCode },
        AppKeys = { [AppKey] = AppSecret },
    });

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
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
