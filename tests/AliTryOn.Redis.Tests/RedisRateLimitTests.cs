using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AliTryOn.Redis.Tests;

/// <summary>
/// Several instances of an application (each its own container, as in its own process) sharing one AppCode and one
/// real Redis server, on a fake clock that the emulator's jobs and the clients share.
/// </summary>
public sealed class RedisRateLimitTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TryOnTask Task1 = new(
        new Uri("https://img.test/model-1.png"),
        Upper: new GarmentImage(new Uri("https://img.test/top-1.png"), GarmentKind.FlatLay));

    [Fact]
    public async Task Instances_sharing_a_redis_keep_the_rate_together()
    {
        var (time, emulator, key) = await JobAsync();
        var prefix = NewPrefix();
        await using var first = Instance(emulator, time, s => s.AddTryOnRedisRateLimit(redis.Server.Configuration, prefix));
        await using var second = Instance(emulator, time, s => s.AddTryOnRedisRateLimit(redis.Server.Configuration, prefix));
        var start = time.GetUtcNow();

        // Three queries in each instance, at once: alone, each would send two in the first second. The clock may move
        // while an instance is asking Redis: its wait is counted from the time it asked about, so the times hold.
        var calls = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => ((i % 2 == 0) ? first : second).GetRequiredService<TryOnClient>().QueryAsync(key))));
        for (var second_ = 1; second_ <= 3; second_++)
        {
            await FakeClock.SettleAsync(calls, () => Queries(emulator) == 2 * second_);
            Assert.Equal(2 * second_, Queries(emulator));
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        }

        await calls;
        Assert.Equal(
            [0, 0, 1, 1, 2, 2],
            emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.Query).Select(r => (r.Timestamp - start).TotalSeconds).Order());
    }

    [Fact]
    public async Task Redis_holds_a_hash_of_the_appcode_never_the_appcode_and_forgets_an_idle_limit()
    {
        var (time, emulator, key) = await JobAsync();
        var prefix = NewPrefix();
        await using (var instance = Instance(emulator, time, s => s.AddTryOnRedisRateLimit(redis.Server.Configuration, prefix)))
        {
            await instance.GetRequiredService<TryOnClient>().QueryAsync(key);
        }

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var keys = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        var limit = Assert.Single(keys);
        Assert.Matches("^" + prefix + "tryon-[0-9a-f]{64}$", limit);
        var members = connection.GetDatabase().SortedSetRangeByRank(limit).Select(m => m.ToString()).ToArray();
        Assert.Single(members);
        Assert.All(keys.Concat(members), text => Assert.DoesNotContain(emulator.AppCodes[0], text, StringComparison.OrdinalIgnoreCase));
        var ttl = connection.GetDatabase().KeyTimeToLive(limit);
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1)); // 2 permits a window of 1 s: the rate is 2 a second
    }

    [Fact]
    public async Task The_window_slides_on_the_times_the_clients_give()
    {
        await using var store = RedisRateLimitStore.Connect(redis.Server.Configuration, NewPrefix());
        var start = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromSeconds(1);

        Assert.Equal(TimeSpan.Zero, await store.TryTakeAsync("a", 2, window, start));
        Assert.Equal(TimeSpan.Zero, await store.TryTakeAsync("a", 2, window, start.AddMilliseconds(300)));
        Assert.Equal(TimeSpan.FromMilliseconds(600), await store.TryTakeAsync("a", 2, window, start.AddMilliseconds(400)));
        Assert.Equal(TimeSpan.Zero, await store.TryTakeAsync("b", 2, window, start.AddMilliseconds(400))); // another limit
        Assert.Equal(TimeSpan.FromMilliseconds(1), await store.TryTakeAsync("a", 2, window, start.AddMilliseconds(999)));
        Assert.Equal(TimeSpan.Zero, await store.TryTakeAsync("a", 2, window, start.AddMilliseconds(1000))); // the first permit is back
        Assert.Equal(TimeSpan.FromMilliseconds(300), await store.TryTakeAsync("a", 2, window, start.AddMilliseconds(1000)));
    }

    [Fact]
    public async Task With_redis_unreachable_the_calls_go_on_under_each_instances_limit_and_the_warning_shows_no_password()
    {
        const string Password = "SENTINEL-redis-password-80a1";
        var (time, emulator, key) = await JobAsync();
        var logs = new CapturingLoggerProvider();
        var nowhere = $"127.0.0.1:{RedisServer.FreePort()},password={Password},connectTimeout=300,asyncTimeout=300,syncTimeout=300";
        await using var instance = Instance(emulator, time, s => s
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddTryOnRedisRateLimit(nowhere));
        var client = instance.GetRequiredService<TryOnClient>();

        var calls = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => client.QueryAsync(key))));
        await FakeClock.SettleAsync(calls, () => Queries(emulator) == 2);
        Assert.Equal(2, Queries(emulator)); // the instance's own limit still holds
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await calls;

        var warning = Assert.Single(logs.WithId(1160));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("The rate limit's store RedisRateLimitStore, shared with the application's other instances, failed (Redis", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Password, StringComparison.Ordinal) || m.Contains(emulator.AppCodes[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_is_a_failure_of_the_store_that_never_shows_the_password()
    {
        const string Password = "SENTINEL-wrong-password-5d2c";
        var logs = new CapturingLoggerProvider();
        var (time, emulator, key) = await JobAsync();
        var configuration = $"127.0.0.1:{redis.Server.Port},password={Password},connectTimeout=500,asyncTimeout=500,syncTimeout=500";
        await using var instance = Instance(emulator, time, s => s
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddTryOnRedisRateLimit(configuration));

        await instance.GetRequiredService<TryOnClient>().QueryAsync(key); // the first call's permit is the instance's own: no wait

        Assert.Single(logs.WithId(1160));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_applications_own_connection_is_used_and_stays_open()
    {
        var (time, emulator, key) = await JobAsync();
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var prefix = NewPrefix();
        await using (var instance = Instance(emulator, time, s => s
            .AddSingleton<IConnectionMultiplexer>(connection)
            .AddTryOnRedisRateLimit(provider => provider.GetRequiredService<IConnectionMultiplexer>(), prefix)))
        {
            await instance.GetRequiredService<TryOnClient>().QueryAsync(key);
        }

        Assert.True(connection.IsConnected);
        Assert.Single(connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: prefix + "*"));
    }

    [Fact]
    public async Task A_client_with_a_store_set_in_code_keeps_it_and_one_without_a_rate_does_not_ask_redis()
    {
        var (time, emulator, key) = await JobAsync();
        var prefix = NewPrefix();
        await using var own = RedisRateLimitStore.Connect(redis.Server.Configuration, prefix + "own:");
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddTryOnClient("own", o => Configure(o, emulator, store: own)).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        services.AddTryOnClient("unlimited", o =>
        {
            Configure(o, emulator, store: null);
            o.RateLimit.RequestsPerSecond = 0;
        }).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        services.AddTryOnRedisRateLimit(redis.Server.Configuration, prefix + "shared:");
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<TryOnClient>("own").QueryAsync(key);
        await provider.GetRequiredKeyedService<TryOnClient>("unlimited").QueryAsync(key);

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var keys = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        Assert.StartsWith(prefix + "own:tryon-", Assert.Single(keys), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("password=SENTINEL-pw-1", "names no server")]
    [InlineData("localhost:6379,password=SENTINEL-pw-2,nosuchoption=1", "is not one StackExchange.Redis reads")]
    public void A_configuration_string_that_cannot_work_is_refused_at_registration_without_quoting_it(string configuration, string expected)
    {
        var refused = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTryOnRedisRateLimit(configuration));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal("configuration", refused.ParamName);
        Assert.DoesNotContain("SENTINEL", refused.ToString(), StringComparison.Ordinal);
    }

    private static ServiceProvider Instance(TryOnEmulator emulator, TimeProvider time, Action<IServiceCollection> redis)
    {
        var services = new ServiceCollection().AddSingleton(time);
        services.AddTryOnClient(o => Configure(o, emulator, store: null)).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        redis(services);
        return services.BuildServiceProvider();
    }

    private static void Configure(TryOnClientOptions options, TryOnEmulator emulator, TryOnRateLimitStore? store)
    {
        options.Endpoint = TryOnEmulator.DefaultBaseAddress;
        options.AppCode = emulator.AppCodes[0];
        options.RateLimit.RequestsPerSecond = 2;
        options.RateLimit.Store = store;
    }

    /// <summary>A fake clock, an emulator on it, and a job of the emulator's to query.</summary>
    private static async Task<(ObservedFakeTimeProvider Time, TryOnEmulator Emulator, string Key)> JobAsync()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var key = (await emulator.CreateClient().SubmitAsync(Task1)).ResultKey;
        emulator.ClearRequests();
        return (time, emulator, key);
    }

    private static int Queries(TryOnEmulator emulator) => emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query);

    /// <summary>Keys of this test's own: the tests of the class share one server.</summary>
    private static string NewPrefix() => "test-" + Guid.NewGuid().ToString("N")[..8] + ":";
}
