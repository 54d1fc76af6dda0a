using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AliTryOn.Redis.Tests;

/// <summary>
/// Several instances of an application (each its own container, as in its own process) sharing one AppCode and one
/// real Redis server, on a fake clock that the emulator's jobs and the clients share.
/// </summary>
public sealed class RedisRateLimitTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    /// <summary>How long the client waits for the store's answer, as its documentation says: half a second.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly TryOnTask Task1 = new(
        new Uri("https://img.test/model-1.png"),
        Upper: new GarmentImage(new Uri("https://img.test/top-1.png"), GarmentKind.FlatLay));

    [Fact]
    public async Task Instances_sharing_a_redis_keep_the_rate_together()
    {
        var (time, emulator, key) = await JobAsync();
        var prefix = NewPrefix();
        var stores = new InFlightStore[2];
        await using var first = Instance(emulator, time, s => Followed(s.AddTryOnRedisRateLimit(redis.Server.Configuration, prefix), stores, 0));
        await using var second = Instance(emulator, time, s => Followed(s.AddTryOnRedisRateLimit(redis.Server.Configuration, prefix), stores, 1));
        await ConnectedAsync(first, second); // as running instances are: a first connection's time is not what is tested here
        var start = time.GetUtcNow();

        // Three queries in each instance, at once: alone, each would send two in the first second. The clock may move
        // while an instance is asking Redis: its wait is counted from the time it asked about, so the times hold.
        var calls = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => ((i % 2 == 0) ? first : second).GetRequiredService<TryOnClient>().QueryAsync(key))));
        for (var second_ = 1; second_ <= 3; second_++)
        {
            await FakeClock.SettleAsync(calls, () => Queries(emulator) == 2 * second_);
            Assert.Equal(2 * second_, Queries(emulator));
            await InFlightStore.AdvanceAsync(time, TimeSpan.FromSeconds(1), stores);
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
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var window = TimeSpan.FromSeconds(1);
        async Task<TimeSpan> At(int milliseconds, string limit = "a")
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(milliseconds));
            return await store.TryTakeAsync(limit, 2, window, clock);
        }

        Assert.Equal(TimeSpan.Zero, await At(0));
        Assert.Equal(TimeSpan.Zero, await At(300));
        Assert.Equal(TimeSpan.FromMilliseconds(600), await At(400));
        Assert.Equal(TimeSpan.Zero, await At(400, "b")); // another limit
        Assert.Equal(TimeSpan.FromMilliseconds(1), await At(999));
        Assert.Equal(TimeSpan.Zero, await At(1000)); // the first permit is back
        Assert.Equal(TimeSpan.FromMilliseconds(300), await At(1000));
    }

    [Theory]
    [InlineData("unreachable")]
    [InlineData("wrong password")]
    public async Task With_redis_failing_calls_wait_half_a_second_then_go_at_the_instances_own_rate_and_the_warning_shows_no_password(string failure)
    {
        // The README's form of configuration string, with StackExchange.Redis's own time limits (5 s): the client does
        // not wait for them.
        const string Password = "SENTINEL-redis-password-80a1";
        var (time, emulator, key) = await JobAsync();
        var logs = new CapturingLoggerProvider();
        var port = failure == "unreachable" ? RedisServer.FreePort() : redis.Server.Port;
        await using var instance = Instance(emulator, time, s => s
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddTryOnRedisRateLimit($"127.0.0.1:{port},password={Password}"));
        var client = instance.GetRequiredService<TryOnClient>();

        var calls = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => client.QueryAsync(key))));
        await FakeClock.SettleAsync(calls, () => time.HasTimerDueWithin(AskTimeout)); // asking Redis (perhaps still connecting)
        FakeClock.Advance(time, AskTimeout);
        await FakeClock.SettleAsync(calls, () => Queries(emulator) == 2);
        Assert.Equal(2, Queries(emulator)); // the instance's own rate: 2 a second
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await calls;

        var warning = Assert.Single(logs.WithId(1160));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("The rate limit's store RedisRateLimitStore, shared with the application's other instances, failed (", warning.Message, StringComparison.Ordinal);

        Assert.DoesNotContain(logs.Messages, m => m.Contains(Password, StringComparison.Ordinal) || m.Contains(emulator.AppCodes[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_never_finishes_the_tls_handshake_holds_no_one()
    {
        // The fourth reader's case: rediss:// to a server that never answers TLS hung the app as it made its clients,
        // StackExchange.Redis making the handshake synchronously. Here a listener that accepts and says nothing.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<System.Net.Sockets.TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptTcpClientAsync());
            }
        });
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var (time, emulator, key) = await JobAsync();
        var logs = new CapturingLoggerProvider();
        await using var instance = Instance(emulator, time, s => s
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddTryOnRedisRateLimit($"rediss://:SENTINEL-tls-pw@127.0.0.1:{port}"));

        var client = await Task.Run(() => instance.GetRequiredService<TryOnClient>()).WaitAsync(TimeSpan.FromSeconds(10));
        var call = client.QueryAsync(key);
        await FakeClock.SettleAsync(call, () => time.HasTimerDueWithin(AskTimeout));
        FakeClock.Advance(time, AskTimeout);
        await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, Queries(emulator));
        Assert.Single(logs.WithId(1160));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("SENTINEL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ask_given_up_while_the_login_is_refused_says_redis_is_not_connected()
    {
        // The fourth reader's case: a refused login looked like a server slow to answer ("did not answer within 0.5 s").
        await using var store = RedisRateLimitStore.Connect($"127.0.0.1:{redis.Server.Port},password=SENTINEL-wrong", NewPrefix());
        store.StartConnecting();
        for (var i = 0; i < 300 && !store.HasConnection; i++)
        {
            await Task.Delay(50); // the connection is real I/O: its attempt, and the refused login
        }

        using var givenUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => store.TryTakeAsync("a", 1, TimeSpan.FromSeconds(1), TimeProvider.System, givenUp.Token).AsTask());

        Assert.StartsWith("Redis did not answer: it is not connected", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://:{password}@127.0.0.1:{port}")]
    [InlineData("redis://default:{password}@127.0.0.1:{port}/0")]
    [InlineData("redis://{password}@127.0.0.1:{port}")]
    public async Task A_redis_url_is_read_as_a_url_and_logs_in(string template)
    {
        // The form many hosts give (REDIS_URL). Read as a host name, it would put the password in every error.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration + ",allowAdmin=true");
        var url = template.Replace("{password}", Uri.EscapeDataString(redis.Server.Password), StringComparison.Ordinal).Replace("{port}", redis.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var prefix = NewPrefix();
        await using var store = RedisRateLimitStore.Connect(url, prefix);

        Assert.Equal(TimeSpan.Zero, await store.TryTakeAsync("a", 1, TimeSpan.FromMinutes(1), TimeProvider.System));
        Assert.Single(admin.GetServer(admin.GetEndPoints()[0]).Keys(pattern: prefix + "*"));
    }

    [Theory]
    [InlineData("redis://:SENTINEL-pw@127.0.0.1:{port}", false)]
    [InlineData("rediss://user:SENTINEL-pw@127.0.0.1:{port}/2", false)]
    [InlineData("SENTINEL-pw@127.0.0.1:{port}", true)]
    [InlineData("default:SENTINEL-pw@127.0.0.1", true)] // no port: still the '@' advice, not "no server"
    public async Task With_a_url_or_an_at_sign_redis_down_shows_no_password(string template, bool refusedAtRegistration)
    {
        var configuration = template.Replace("{port}", RedisServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var (time, emulator, key) = await JobAsync();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        var refused = Record.Exception(() => services.AddTryOnRedisRateLimit(configuration));
        Assert.Equal(refusedAtRegistration, refused is not null); // a URL is read as one; '@' without a scheme is refused
        if (refused is not null)
        {
            Assert.IsType<ArgumentException>(refused);
            Assert.Contains("'@'", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("SENTINEL", refused.ToString(), StringComparison.Ordinal);
            return;
        }

        await using var instance = Instance(emulator, time, s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)).AddTryOnRedisRateLimit(configuration));
        var call = instance.GetRequiredService<TryOnClient>().QueryAsync(key);
        await FakeClock.SettleAsync(call, () => time.HasTimerDueWithin(AskTimeout));
        FakeClock.Advance(time, AskTimeout);
        await call;

        Assert.Single(logs.WithId(1160));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("SENTINEL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1:6379,password=pa://ss", "pa://ss")] // the third reader's case: "://" in a password
    [InlineData("127.0.0.1:6379,password=plain", "plain")]
    [InlineData("redis://:p%40ss%3Aword@[::1]:6380/3", "p@ss:word")]
    public void A_configuration_string_is_a_url_only_when_it_starts_with_a_scheme(string configuration, string password)
    {
        var options = RedisRateLimitStore.Read(configuration);

        Assert.Equal(password, options.Password);
        Assert.Single(options.EndPoints);
    }

    [Theory]
    [InlineData("http://127.0.0.1:6379", "the scheme 'http'")]
    [InlineData("redis://127.0.0.1:6379/zero", "not a database number")]
    [InlineData("redis://127.0.0.1:6379?timeout=1", "query or fragment")]
    public void A_url_that_cannot_work_is_refused_naming_what(string configuration, string expected)
    {
        var refused = Assert.Throws<ArgumentException>(() => RedisRateLimitStore.Read(configuration));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal("configuration", refused.ParamName);
    }

    [Fact]
    public async Task Waiting_for_the_connection_says_whether_it_was_made_in_time()
    {
        // What a batch job waits for before it starts (the command-line tool's run): connected, or not within the limit.
        await using var up = RedisRateLimitStore.Connect(redis.Server.Configuration, NewPrefix());
        await using var down = RedisRateLimitStore.Connect($"127.0.0.1:{RedisServer.FreePort()},connectTimeout=200", NewPrefix());
        var disposed = RedisRateLimitStore.Connect(redis.Server.Configuration, NewPrefix());
        await disposed.DisposeAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.True(await up.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(TimeSpan.Zero, await up.TryTakeAsync("a", 1, TimeSpan.FromSeconds(1), TimeProvider.System));
        Assert.False(await down.ConnectAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.False(await disposed.ConnectAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => up.ConnectAsync(TimeSpan.FromSeconds(30), cancelled.Token));
    }

    [Fact]
    public async Task A_store_disposed_while_it_connects_leaves_no_connection_open()
    {
        // The second reader's case: the container closes while the first call is connecting.
        var name = "disposed-" + Guid.NewGuid().ToString("N")[..8];
        var store = RedisRateLimitStore.Connect(redis.Server.Configuration + ",name=" + name, NewPrefix());

        var take = store.TryTakeAsync("a", 1, TimeSpan.FromSeconds(1), TimeProvider.System).AsTask();
        await store.DisposeAsync();
        await Record.ExceptionAsync(() => take);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.TryTakeAsync("a", 1, TimeSpan.FromSeconds(1), TimeProvider.System).AsTask());

        using var observer = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration + ",allowAdmin=true");
        for (var i = 0; i < 100 && (await observer.GetServer(observer.GetEndPoints()[0]).ClientListAsync()).Any(c => c.Name == name); i++)
        {
            await Task.Delay(50); // the connection closes as soon as it is made: give the server the moment to see it
        }

        Assert.DoesNotContain((await observer.GetServer(observer.GetEndPoints()[0]).ClientListAsync()).Select(c => c.Name), n => n == name);
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

    /// <summary>The instance's store, Redis's, counted on its way (<see cref="InFlightStore"/>) as <paramref name="stores"/>[<paramref name="index"/>].</summary>
    internal static IServiceCollection Followed(IServiceCollection services, InFlightStore[] stores, int index) =>
        services.PostConfigureAll<TryOnClientOptions>(o => o.RateLimit.Store = stores[index] ??= new InFlightStore(o.RateLimit.Store!));

    /// <summary>Waits until each instance's store has its connection, taking a permit of a limit of its own.</summary>
    internal static async Task ConnectedAsync(params IServiceProvider[] instances)
    {
        foreach (var instance in instances)
        {
            await instance.GetRequiredService<RedisRateLimitStore>().TryTakeAsync("connected", int.MaxValue, TimeSpan.FromSeconds(1), TimeProvider.System);
        }
    }

    private static int Queries(TryOnEmulator emulator) => emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query);

    /// <summary>Keys of this test's own: the tests of the class share one server.</summary>
    private static string NewPrefix() => "test-" + Guid.NewGuid().ToString("N")[..8] + ":";
}
