using System.Net;
using System.Text;
using AliTryOn.AspNetCore.Tests.TestSupport;
using AliTryOn.Redis;
using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>
/// Two instances of the ASP.NET Core sample given a Redis connection string (<c>ConnectionStrings:Redis</c>) keep the
/// AppCode's rate together, against a real Redis server: at one submit a second in all, the second instance's submit
/// waits for the first's permit.
/// </summary>
public sealed class SharedRateLimitTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Two_instances_with_a_redis_connection_string_share_one_rate()
    {
        InFlightStore? counted = null;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Redis"] = _redis.Configuration,
            ["AliTryOn:RateLimit:RequestsPerSecond"] = "1",
        };
        using var first = new SampleAppFactory(settings);
        using var second = new SampleAppFactory(settings, services =>
            services.PostConfigureAll<TryOnClientOptions>(o => o.RateLimit.Store = counted ??= new InFlightStore(o.RateLimit.Store!)));
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        var options = first.Services.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);
        Assert.IsType<RedisRateLimitStore>(options.RateLimit.Store);
        foreach (var instance in new[] { first, second })
        {
            // Connected, as running instances are: a first connection's time is not what is tested here.
            await instance.Services.GetRequiredService<RedisRateLimitStore>().TryTakeAsync("connected", int.MaxValue, TimeSpan.FromSeconds(1), TimeProvider.System);
        }
        var start = first.Time.GetUtcNow();
        Assert.Equal(start, second.Time.GetUtcNow()); // the two instances' clocks agree, as NTP keeps real ones

        using var accepted = await Post(firstClient);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var waiting = Post(secondClient);
        await FakeClock.SettleAsync(waiting, () => counted!.Refused == 1); // Redis holds the first instance's permit
        Assert.Empty(Submits(second.Emulator));
        await InFlightStore.AdvanceAsync(second.Time, TimeSpan.FromSeconds(1), counted!);
        using var acceptedLater = await waiting;

        Assert.Equal(HttpStatusCode.Accepted, acceptedLater.StatusCode);
        Assert.Equal(start, Assert.Single(Submits(first.Emulator)).Timestamp);
        Assert.Equal(start.AddSeconds(1), Assert.Single(Submits(second.Emulator)).Timestamp);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client) =>
        client.PostAsync("/tryon", new StringContent(
            """{ "tasks": [ { "modelImage": "https://img.example/model.jpg", "upper": { "image": "https://img.example/shirt.jpg", "kind": "FlatLay" } } ] }""",
            Encoding.UTF8,
            "application/json"));

    private static TryOnEmulatorRequest[] Submits(TryOnEmulator emulator) => [.. emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.Submit)];
}
