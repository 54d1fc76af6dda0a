using System.Text;
using AliTryOn.Readme.Tests.Globals;
using AliTryOn.Readme.Tests.Support;
using AliTryOn.Redis;
using AliTryOn.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AliTryOn.Readme.Tests;

/// <summary>
/// The README's recipe of a rate limit kept by several instances through Redis (<c>redis-rate-limit</c>): two apps built
/// from it, as two instances of one app, against a real Redis server and the emulator served on loopback, on one fake
/// clock.
/// </summary>
public sealed class ReadmeRedisRecipeTests(RedisAndLoopbackEmulator servers) : IClassFixture<RedisAndLoopbackEmulator>
{
    [Fact]
    public async Task Two_instances_built_from_the_recipe_keep_the_rate_together_in_redis()
    {
        var readmeSettings = ReadmeFile.Recipe("redis-rate-limit", "json");
        var shown = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(readmeSettings))).Build();
        Assert.Equal(("redis.internal:6379,password=…,ssl=true", "10"), (shown.GetConnectionString("Redis"), shown["AliTryOn:RateLimit:RequestsPerSecond"]));

        var time = new ObservedFakeTimeProvider();
        var service = servers.Service;
        var key = (await service.Emulator.CreateClient().SubmitAsync(new TryOnTask(
            new Uri("https://img.test/model.png"),
            Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay)))).ResultKey;
        service.Emulator.ClearRequests();
        var stores = new InFlightStore[2];
        await using var first = await InstanceAsync(readmeSettings, time, stores, 0);
        await using var second = await InstanceAsync(readmeSettings, time, stores, 1);
        foreach (var instance in new[] { first, second })
        {
            // Connected, as running instances are: a first connection's time is not what is tested here.
            await instance.Services.GetRequiredService<RedisRateLimitStore>().TryTakeAsync("connected", int.MaxValue, TimeSpan.FromSeconds(1), TimeProvider.System);
        }
        Assert.IsType<RedisRateLimitStore>(first.Services.GetRequiredService<RedisRateLimitStore>());
        var options = first.Services.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);
        Assert.Same(stores[0], options.RateLimit.Store);

        // Three queries in each instance at once, at 2 a second in all: two go in each second, not four.
        var calls = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).Services.GetRequiredService<TryOnClient>().QueryAsync(key))));
        for (var seconds = 1; seconds <= 3; seconds++)
        {
            var expected = 2 * seconds;
            await FakeClock.SettleAsync(calls, () => Queries(service) == expected);
            Assert.Equal(expected, Queries(service));
            await InFlightStore.AdvanceAsync(time, TimeSpan.FromSeconds(1), stores);
        }

        await calls;
        using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.Configuration);
        var limit = Assert.Single(redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: "*tryon-*")).ToString();
        Assert.Matches($"^{RedisRateLimitStore.DefaultKeyPrefix}tryon-[0-9a-f]{{64}}$", limit);
    }

    /// <summary>An instance: the README's code and JSON, then what this machine's settings would say.</summary>
    private async Task<WebApplication> InstanceAsync(string readmeSettings, TimeProvider time, InFlightStore[] stores, int index)
    {
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        web.builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(readmeSettings)));
        web.builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = servers.Redis.Configuration,
            ["AliTryOn:Endpoint"] = servers.Service.Address.AbsoluteUri,
            ["AliTryOn:AppCode"] = LoopbackEmulator.AppCode,
            ["AliTryOn:RateLimit:RequestsPerSecond"] = "2",
        });
        web.builder.Services.AddSingleton(time);
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("redis-rate-limit"), web);

        // The store the recipe set, counted on its way, so that the fake clock never gives up an answer Redis is sending.
        web.builder.Services.PostConfigureAll<TryOnClientOptions>(o => o.RateLimit.Store = stores[index] ??= new InFlightStore(o.RateLimit.Store!));
        return web.Build(); // its client is all the test needs: no server is started
    }

    private static int Queries(LoopbackEmulator service) => service.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query);
}
