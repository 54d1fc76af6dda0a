using System.Collections.Concurrent;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.Http;

/// <summary>
/// A rate limit kept with the application's other instances through a <see cref="TryOnRateLimitStore"/>: each instance
/// here is a client of its own (its own limiter, as in another process), over one store.
/// </summary>
public class SharedRateLimitTests
{
    [Fact]
    public async Task Two_instances_sharing_a_store_keep_the_rate_together_and_without_it_each_keeps_it_alone()
    {
        foreach (var shared in new[] { true, false })
        {
            var time = new ObservedFakeTimeProvider();
            var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
            var store = new SlidingWindowStore();
            var first = Client(shared ? store : null, 2, transport, time);
            var second = Client(shared ? store : null, 2, transport, time);
            var start = time.GetUtcNow();

            var calls = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).QueryAsync($"k{i}"))));
            var perSecond = shared ? 2 : 4; // alone, each instance sends 2 a second: 4 in all
            for (var second_ = 0; transport.Requests.Count < 6; second_++)
            {
                var expected = Math.Min(6, perSecond * (second_ + 1));
                await FakeClock.SettleAsync(calls, () => transport.Requests.Count == expected);
                Assert.Equal(expected, transport.Requests.Count);
                FakeClock.Advance(time, TimeSpan.FromSeconds(1));
            }

            await calls;
            var seconds = transport.Requests.Select(r => (r.At - start).TotalSeconds).Order();
            Assert.Equal(shared ? [0, 0, 1, 1, 2, 2] : [0, 0, 0, 0, 1, 1], seconds);
            Assert.Equal(shared ? 6 : 0, store.Taken);
        }
    }

    [Fact]
    public async Task The_limit_is_named_by_a_hash_of_the_credential_the_same_in_every_instance_and_never_the_appcode()
    {
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING"));
        var store = new SlidingWindowStore();
        TryOnClient Instance(Action<TryOnClientOptions> credential) => new(TestOptions.Create(o =>
        {
            credential(o);
            o.RateLimit.RequestsPerSecond = 5;
            o.RateLimit.Store = store;
        }), transport);

        await Instance(_ => { }).QueryAsync("a");
        await Instance(_ => { }).QueryAsync("b");
        await Instance(o => o.AppCode = "another-appcode-31337").QueryAsync("c");
        await new TryOnClient(TestOptions.CreateSigned(o =>
        {
            o.RateLimit.RequestsPerSecond = 5;
            o.RateLimit.Store = store;
        }), transport).QueryAsync("d");

        var keys = store.Calls.Select(c => c.LimitKey).ToArray();
        Assert.Equal(4, keys.Length);
        Assert.All(keys, key => Assert.Matches("^tryon-[0-9a-f]{64}$", key));
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(3, keys.Distinct().Count());
        Assert.All(keys, key => Assert.DoesNotContain("SENTINEL", key, StringComparison.OrdinalIgnoreCase));
        Assert.All(store.Calls, c => Assert.Equal((5, TimeSpan.FromSeconds(1)), (c.Permits, c.Window)));
    }

    [Fact]
    public async Task A_fractional_rate_asks_the_store_for_its_one_permit_per_share_of_time_at_the_clients_time()
    {
        var time = new ObservedFakeTimeProvider();
        var store = new SlidingWindowStore();
        var client = Client(store, 0.5, new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")), time);

        await client.QueryAsync("a");

        var call = Assert.Single(store.Calls);
        Assert.Equal((1, TimeSpan.FromSeconds(2), time.GetUtcNow()), (call.Permits, call.Window, call.Now));
    }

    [Fact]
    public async Task A_store_that_fails_lets_the_calls_go_under_the_instances_own_limit_is_logged_and_rests_ten_seconds()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Failure = new InvalidOperationException("store down") };
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var client = Client(store, 2, transport, time, loggerFactory);

        var calls = Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() => client.QueryAsync($"k{i}"))));
        await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 2);
        Assert.Equal(2, transport.Requests.Count); // the instance's own limit still holds
        Assert.Equal(1, store.Asked); // the failure rests the store: the second call did not ask it
        var entry = Assert.Single(logs.WithId(1160));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(
            "The rate limit's store SlidingWindowStore, shared with the application's other instances, failed (InvalidOperationException); calls keep to this instance's own limit, and the store is asked again in 10 s",
            entry.Message);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(TestOptions.AppCode, StringComparison.Ordinal));

        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await calls;
        Assert.Equal(1, store.Asked);

        store.Failure = null;
        FakeClock.Advance(time, TimeSpan.FromSeconds(9));
        await client.QueryAsync("after");
        Assert.Equal(2, store.Asked); // asked again once the rest is over
        Assert.Equal(1, store.Taken);
        Assert.Single(logs.WithId(1160));
    }

    [Fact]
    public async Task A_wait_the_store_gives_is_at_most_a_window_and_the_call_asks_again()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Refusals = 2, RefusalWait = TimeSpan.FromHours(1) };
        var client = Client(store, 1, transport, time);
        var start = time.GetUtcNow();

        var call = client.QueryAsync("a");
        for (var asked = 1; asked <= 2; asked++)
        {
            await FakeClock.SettleAsync(call, () => store.Asked == asked);
            Assert.Empty(transport.Requests);
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        }

        await call;
        Assert.Equal(3, store.Asked);
        Assert.Equal(2, (Assert.Single(transport.Requests).At - start).TotalSeconds);
    }

    [Fact]
    public async Task The_stores_round_trip_is_part_of_the_wait_it_gives()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Refusals = 1, RefusalWait = TimeSpan.FromSeconds(1) };
        store.OnAsk = () =>
        {
            if (store.Asked == 1)
            {
                time.Advance(TimeSpan.FromMilliseconds(300)); // the answer takes 0.3 s to come back
            }
        };
        var client = Client(store, 1, transport, time);
        var start = time.GetUtcNow();

        var call = client.QueryAsync("a");
        await FakeClock.SettleAsync(call, () => store.Asked == 1 && time.GetUtcNow() > start);
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(700));
        await call.WaitAsync(TimeSpan.FromSeconds(10)); // a wait counted from the answer would still be 0.3 s away

        Assert.Equal(1, (Assert.Single(transport.Requests).At - start).TotalSeconds); // not 1.3
        Assert.Equal(start.AddSeconds(1), store.Calls.Last().Now);
    }

    [Fact]
    public async Task A_call_cancelled_while_it_waits_for_the_store_is_not_sent()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Refusals = int.MaxValue, RefusalWait = TimeSpan.FromSeconds(1) };
        var client = Client(store, 1, transport, time);
        using var cancellation = new CancellationTokenSource();

        var call = client.QueryAsync("a", cancellation.Token);
        await FakeClock.SettleAsync(call, () => store.Asked == 1);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Without_a_rate_the_store_is_not_asked()
    {
        var store = new SlidingWindowStore();
        var options = TestOptions.Create(o =>
        {
            o.RateLimit.MaxConcurrentRequests = 1;
            o.RateLimit.Store = store;
        });
        var client = new TryOnClient(options, new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")));

        await client.QueryAsync("a");

        Assert.Equal(0, store.Asked);
        Assert.Contains("Store = SlidingWindowStore", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("Store = (not set)", new TryOnRateLimitOptions().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_registered_with_dependency_injection_share_the_store_through_their_options()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore();
        ServiceProvider Instance()
        {
            var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
            services.AddTryOnClient(o =>
            {
                o.Endpoint = new Uri(TestOptions.Endpoint);
                o.AppCode = TestOptions.AppCode;
                o.RateLimit.RequestsPerSecond = 1;
                o.RateLimit.Store = store;
            }).ConfigurePrimaryHttpMessageHandler(() => transport);
            return services.BuildServiceProvider();
        }

        await using var first = Instance();
        await using var second = Instance();
        var calls = Task.WhenAll(
            first.GetRequiredService<TryOnClient>().QueryAsync("a"),
            second.GetRequiredService<TryOnClient>().QueryAsync("b"));
        await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 1 && store.Asked == 2);
        Assert.Single(transport.Requests);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await calls;
        Assert.Equal(2, store.Taken);
    }

    /// <summary>An instance: a client of its own (its own limiter, as in another process) at <paramref name="rate"/> a second, keeping it in <paramref name="store"/>.</summary>
    private static TryOnClient Client(TryOnRateLimitStore? store, double rate, HttpMessageHandler transport, TimeProvider? time = null, ILoggerFactory? loggerFactory = null) =>
        new(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = rate;
            o.RateLimit.Store = store;
        }), transport, time, loggerFactory);

    /// <summary>
    /// A store kept in memory by the contract of <see cref="TryOnRateLimitStore.TryTakeAsync"/>: a sliding window of
    /// the times permits were taken, each back one window later.
    /// </summary>
    private sealed class SlidingWindowStore : TryOnRateLimitStore
    {
        private readonly ConcurrentQueue<(string LimitKey, int Permits, TimeSpan Window, DateTimeOffset Now)> _calls = new();
        private readonly Dictionary<string, List<DateTimeOffset>> _taken = [];
        private int _asked;

        public Exception? Failure { get; set; }

        /// <summary>Runs as each ask comes in, after it is counted.</summary>
        public Action? OnAsk { get; set; }

        /// <summary>How many asks to refuse, whatever the window holds, with <see cref="RefusalWait"/>.</summary>
        public int Refusals { get; set; }

        public TimeSpan RefusalWait { get; set; }

        public IReadOnlyCollection<(string LimitKey, int Permits, TimeSpan Window, DateTimeOffset Now)> Calls => _calls;

        public int Asked => Volatile.Read(ref _asked);

        public int Taken
        {
            get
            {
                lock (_taken)
                {
                    return _taken.Values.Sum(t => t.Count);
                }
            }
        }

        public override ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue((limitKey, permits, window, now));
            Interlocked.Increment(ref _asked);
            OnAsk?.Invoke();
            if (Failure is { } failure)
            {
                throw failure;
            }

            if (Refusals > 0)
            {
                Refusals--;
                return new(RefusalWait);
            }

            lock (_taken)
            {
                var taken = _taken.TryGetValue(limitKey, out var list) ? list : _taken[limitKey] = [];
                var live = taken.Where(t => t > now - window).ToList();
                if (live.Count < permits)
                {
                    taken.Add(now);
                    return new(TimeSpan.Zero);
                }

                return new(live.Min() + window - now);
            }
        }
    }
}
