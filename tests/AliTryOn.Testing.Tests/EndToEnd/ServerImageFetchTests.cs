using AliTryOn.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>
/// The standalone server fetches every image it is given, by default, over real sockets from a storage host on
/// loopback, and applies the service's rules to the bytes.
/// </summary>
public sealed class ServerImageFetchTests : IAsyncLifetime
{
    private WebApplication? _storage;
    private WebApplication? _server;
    private Uri _storageAddress = null!;
    private Uri _serverAddress = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var storage = builder.Build();
        storage.MapGet("/me.png", (Delegate)(() => Results.Bytes(TestImages.Png(600, 800), "image/png")));
        storage.MapGet("/shirt.png", (Delegate)(() => Results.Bytes(TestImages.Png(700, 900), "image/png")));
        storage.MapGet("/small.png", (Delegate)(() => Results.Bytes(TestImages.Png(380, 512), "image/png")));
        storage.MapGet("/page.png", (Delegate)(() => Results.Text("<html>not found</html>", "text/html")));
        _storage = storage;
        await storage.StartAsync();
        _storageAddress = EmulatorServer.Addresses(storage).Single();

        _server = EmulatorServer.Create([
            "--urls", "http://127.0.0.1:0",
            "--Emulator:AppCodes:0=fetch-appcode",
            "--Emulator:QueueTime=00:00:00",
            "--Emulator:FastDuration=00:00:00",
            "--Emulator:QualityDuration=00:00:00",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _server.StartAsync();
        _serverAddress = EmulatorServer.Addresses(_server).Single();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _server, _storage })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Images_reachable_and_within_the_rules_make_a_job()
    {
        var done = await Client().SubmitAndWaitAsync(Task("me.png", "shirt.png"));

        Assert.True(done.Tasks.Single().Succeeded);
    }

    [Theory]
    [InlineData("small.png", typeof(TryOnInvalidImageException), "23500007")]
    [InlineData("page.png", typeof(TryOnInvalidImageException), "23500007")]
    [InlineData("missing.png", typeof(TryOnImageUnreachableException), "23500006")]
    public async Task An_image_that_cannot_be_fetched_or_breaks_the_rules_is_refused_and_no_job_is_made(string shirt, Type expected, string code)
    {
        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => Client().SubmitAsync(Task("me.png", shirt)));

        Assert.IsType(expected, error);
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task A_storage_host_that_does_not_listen_is_unreachable()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var error = await Assert.ThrowsAsync<TryOnImageUnreachableException>(() => Client().SubmitAsync(
            new TryOnTask(new Uri($"http://127.0.0.1:{port}/me.png"), new GarmentImage(new Uri(_storageAddress, "shirt.png"), GarmentKind.FlatLay))));

        Assert.Equal("23500006", error.ErrorCode);
    }

    private TryOnTask Task(string model, string shirt) =>
        new(new Uri(_storageAddress, model), new GarmentImage(new Uri(_storageAddress, shirt), GarmentKind.FlatLay));

    private TryOnClient Client() => new(new TryOnClientOptions
    {
        Endpoint = _serverAddress,
        AppCode = "fetch-appcode",
        Polling = { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    });
}
