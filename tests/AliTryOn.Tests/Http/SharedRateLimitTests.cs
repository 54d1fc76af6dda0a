using System.Net;
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
    public async Task A_store_that_does_not_answer_holds_the_calls_half_a_second_then_they_go_at_the_instances_own_rate()
    {
        // A Redis that is down: its client would wait 5 s for it, every 10 s.
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Hangs = true };
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var client = Client(store, 2, transport, time, loggerFactory);
        var start = time.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() => client.QueryAsync($"k{i}"))));
        await FakeClock.SettleAsync(calls, () => store.Asked == 1 && time.HasTimerDueWithin(TimeSpan.FromMilliseconds(500)));
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500));
        await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 2);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await calls;

        Assert.Equal([0.5, 0.5, 1.5], transport.Requests.Select(r => (r.At - start).TotalSeconds).Order());
        Assert.Equal((1, 1), (store.Asked, store.Cancelled)); // asked once, and the ask given up
        var warning = Assert.Single(logs.WithId(1160));
        Assert.Contains("failed (TimeoutException)", warning.Message, StringComparison.Ordinal);
        Assert.Equal("The store did not answer within 0.5 s.", warning.Exception!.Message);

        store.Hangs = false;
        FakeClock.Advance(time, TimeSpan.FromSeconds(10));
        await client.QueryAsync("after the pause");
        Assert.Equal(2, store.Asked);
    }

    [Fact]
    public async Task When_the_store_fails_the_instance_goes_on_from_the_permits_it_took_of_it()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore();
        var client = Client(store, 2, transport, time);
        var start = time.GetUtcNow();
        await Task.WhenAll(client.QueryAsync("a"), client.QueryAsync("b")); // the second's two permits, from the store

        store.Failure = new InvalidOperationException("store down");
        var more = Task.WhenAll(client.QueryAsync("c"), client.QueryAsync("d"));
        await FakeClock.SettleAsync(more, () => time.HasTimerDueWithin(TimeSpan.FromSeconds(1)));
        Assert.Equal(2, transport.Requests.Count); // not two more in the same second
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await more;

        Assert.Equal([0, 0, 1, 1], transport.Requests.Select(r => (r.At - start).TotalSeconds).Order());
        Assert.Equal(3, store.Asked); // at 1 s, once: it failed, and the instance's window gave both permits
    }

    [Fact]
    public async Task While_other_instances_hold_the_store_no_more_calls_wait_than_the_queue_limit_allows()
    {
        var (time, transport, client) = Busy(o => o.RateLimit.QueueLimit = 1);

        // The second reader's case: two calls a second for five seconds. One waits (QueueLimit 1), as without a store;
        // the others fail, as throttled, and nothing is sent.
        var calls = new List<Task>();
        for (var second = 0; second < 5; second++)
        {
            calls.Add(client.QueryAsync($"k{second}-0"));
            calls.Add(client.QueryAsync($"k{second}-1"));
            await FakeClock.SettleAsync(Task.WhenAll(calls), () => calls.Count(c => c.IsCompleted) == calls.Count - 1);
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, calls.Count(c => !c.IsCompleted));
        Assert.Equal(9, calls.Count(c => c.IsFaulted && c.Exception!.InnerException is TryOnThrottledException));
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task While_other_instances_hold_the_store_a_waits_query_still_goes_ahead_of_younger_calls()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((request, _) => RecordingHandler.Response(
            HttpStatusCode.OK,
            Json.Job(request.QueriedKey!, request.QueriedKey == "old" ? "SUCCESS" : "RUNNING"))) { Clock = time };
        var start = time.GetUtcNow();
        var store = new SlidingWindowStore { BusyUntil = start.AddSeconds(5) }; // then this instance has the window alone
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = 1;
            o.RateLimit.Store = store;
            o.Polling.InitialDelay = TimeSpan.FromMilliseconds(3500);
            o.Polling.JitterRatio = 0;
        }), transport, time);

        // The second reader's case. 0 s: a call waits for the store, and a wait begins (its first query is due at 3.5 s);
        // 0.25 s: three calls of younger work. The wait's query is the oldest work when the store lets this instance through.
        var first = client.QueryAsync("first");
        await FakeClock.SettleAsync(first, () => store.Asked == 1);
        var wait = client.WaitForCompletionAsync("old");
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(250));
        var young = Enumerable.Range(0, 3).Select(i => client.QueryAsync($"young{i}")).ToArray();
        var everything = Task.WhenAll(young.Append(first).Append(wait));

        // A second at a time, each send seen before the clock moves on: from 5 s, one call a second, oldest work first.
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(750));
        for (var second = 1; second <= 9; second++)
        {
            var expected = Math.Max(0, second - 4);
            await FakeClock.SettleAsync(everything, () => transport.Requests.Count == expected);
            Assert.Equal(expected, transport.Requests.Count);
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        }

        await everything.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "old", "young0", "young1", "young2"], transport.Requests.Select(r => r.QueriedKey));
        Assert.Equal([5, 6, 7, 8, 9], transport.Requests.Select(r => (r.At - start).TotalSeconds));
    }

    [Fact]
    public async Task Calls_waiting_for_the_store_end_when_their_container_is_disposed()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { BusyUntil = DateTimeOffset.MaxValue };
        var provider = Registered(store, 2, transport, time);
        var client = provider.GetRequiredService<TryOnClient>();
        var calls = new[] { client.QueryAsync("a"), client.QueryAsync("b") };
        await FakeClock.SettleAsync(Task.WhenAll(calls), () => store.Asked == 1);

        await provider.DisposeAsync();

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<TryOnThrottledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_wall_clock_set_back_during_the_stores_round_trip_does_not_stretch_the_wait()
    {
        // The second reader's case: NTP steps the wall clock back an hour while the store answers "0.5 s".
        var time = new SteppedClock();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Refusals = 1, RefusalWait = TimeSpan.FromMilliseconds(500) };
        store.OnAsk = () => time.Offset = TimeSpan.FromHours(-1);
        var client = Client(store, 1, transport, time);

        // Two minutes of the clock, a step at a time: the call is sent half a second in (a step or a few later if the
        // machine is slow), not an hour.
        var call = client.QueryAsync("a");
        await StepAsync(time, call, TimeSpan.FromMinutes(2));

        Assert.True(call.IsCompleted, "the call still waits two minutes on");
        await call;
        Assert.Equal(2, store.Asked);
    }

    [Fact]
    public async Task A_query_whose_time_runs_out_waiting_for_a_permit_says_it_was_not_sent()
    {
        var (time, transport, client) = Busy(o => o.TotalTimeout = TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromSeconds(10)));

        Assert.StartsWith("The query was not sent: the call's time ran out within 00:00:03 (AttemptTimeout or TotalTimeout of TryOnClientOptions) before it reached the service (it was waiting, most likely for a permit of the client-side rate limit", error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_failure_that_stops_the_serving_loop_fails_the_waiting_calls_rather_than_leave_them()
    {
        // A logger of the application's that throws as the store's failure is logged: nothing may be left waiting.
        var store = new SlidingWindowStore { Failure = new InvalidOperationException("store down") };
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ThrowingLoggerProvider()));
        var client = Client(store, 2, new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")), loggerFactory: loggerFactory);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.QueryAsync("a").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("the logger failed", error.ToString(), StringComparison.Ordinal); // not a wait that never ends
        store.Failure = null;
        await client.QueryAsync("b").WaitAsync(TimeSpan.FromSeconds(10)); // a new loop serves the next call
    }

    [Fact]
    public async Task After_an_ask_that_timed_out_the_instances_own_window_times_its_permits_from_their_grant()
    {
        // The third reader's case. 2 a second; the ask is given up at 0.5 s and two calls go then: a third may go a second
        // after them (1.5 s), not a second after the ask began (1.0 s).
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Hangs = true };
        var client = Client(store, 2, transport, time);
        var start = time.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() => client.QueryAsync($"k{i}"))));
        await FakeClock.SettleAsync(calls, () => store.Asked == 1 && time.HasTimerDueWithin(TimeSpan.FromMilliseconds(500)));
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500));
        await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 2 && time.HasTimerDueWithin(TimeSpan.FromSeconds(1)));
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500)); // 1.0 s
        await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 3 || time.HasTimerDueWithin(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(2, transport.Requests.Count);
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500));
        await calls;

        Assert.Equal([0.5, 0.5, 1.5], transport.Requests.Select(r => (r.At - start).TotalSeconds).Order());
    }

    [Fact]
    public async Task When_the_pause_ends_the_instance_still_sends_no_more_than_its_rate()
    {
        // The third reader's case. 2 a second; the store fails at 0 s; two calls go at 9.5 s on the instance's own window;
        // at 10 s the pause is over, and the store, which never saw those two, would give two more at once.
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Failure = new InvalidOperationException("store down") };
        var client = Client(store, 2, transport, time);
        var start = time.GetUtcNow();
        await client.QueryAsync("failing");

        FakeClock.Advance(time, TimeSpan.FromMilliseconds(9500));
        await Task.WhenAll(client.QueryAsync("a"), client.QueryAsync("b"));
        store.Failure = null;
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500)); // 10 s: the pause is over
        var more = Task.WhenAll(client.QueryAsync("c"), client.QueryAsync("d"));
        await FakeClock.SettleAsync(more, () => transport.Requests.Count == 5 || time.HasTimerDueWithin(TimeSpan.FromSeconds(1)));
        Assert.Equal([0, 9.5, 9.5], transport.Requests.Select(r => (r.At - start).TotalSeconds));
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500));
        await more;

        Assert.Equal([0, 9.5, 9.5, 10.5, 10.5], transport.Requests.Select(r => (r.At - start).TotalSeconds));
    }

    [Fact]
    public async Task A_queue_limit_of_zero_refuses_a_call_that_would_wait_with_a_store_as_without_one()
    {
        // The third reader's case: QueueLimit 0 is a fail-fast setting.
        foreach (var shared in new[] { false, true })
        {
            var time = new ObservedFakeTimeProvider();
            var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
            var client = new TryOnClient(TestOptions.Create(o =>
            {
                o.RateLimit.RequestsPerSecond = 1;
                o.RateLimit.QueueLimit = 0;
                o.RateLimit.Store = shared ? new SlidingWindowStore() : null;
            }), transport, time);
            await client.QueryAsync("first");

            await Assert.ThrowsAsync<TryOnThrottledException>(() => client.QueryAsync("second").WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Single(transport.Requests);

            // A second on, a permit is free again: the refusal did not stay.
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
            await client.QueryAsync("third").WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(2, transport.Requests.Count);
        }
    }

    [Fact]
    public async Task While_the_store_is_paused_the_instance_keeps_the_window_second_after_second()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Failure = new InvalidOperationException("store down") };
        var client = Client(store, 2, transport, time);
        var start = time.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => client.QueryAsync($"k{i}"))));
        for (var second = 1; second <= 3; second++)
        {
            await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 2 * second);
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        }

        await calls;
        Assert.Equal([0, 0, 1, 1, 2, 2], transport.Requests.Select(r => (r.At - start).TotalSeconds).Order());
    }

    [Fact]
    public async Task A_wait_for_the_instances_own_window_ends_when_its_oldest_permit_comes_back()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var client = Client(new SlidingWindowStore(), 2, transport, time);
        var start = time.GetUtcNow();
        await Task.WhenAll(client.QueryAsync("a"), client.QueryAsync("b"));

        FakeClock.Advance(time, TimeSpan.FromMilliseconds(250));
        var third = client.QueryAsync("c");
        await FakeClock.SettleAsync(third, () => time.HasTimerDueWithin(TimeSpan.FromMilliseconds(750)));
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(750));
        await third;

        Assert.Equal(1, (transport.Requests[^1].At - start).TotalSeconds);
    }

    [Fact]
    public async Task A_wait_the_store_gives_under_a_window_is_kept_as_given()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { Refusals = 1, RefusalWait = TimeSpan.FromMilliseconds(300) };
        var client = Client(store, 1, transport, time);
        var start = time.GetUtcNow();

        var call = client.QueryAsync("a");
        await FakeClock.SettleAsync(call, () => time.HasTimerDueWithin(TimeSpan.FromMilliseconds(300)));
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(300));
        await call;

        Assert.Equal(0.3, (Assert.Single(transport.Requests).At - start).TotalSeconds, 3);
    }

    [Fact]
    public async Task Calls_that_find_permits_are_not_refused_whatever_the_queue_limit()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = 2;
            o.RateLimit.QueueLimit = 0;
            o.RateLimit.Store = new SlidingWindowStore();
        }), transport, time);

        await Task.WhenAll(client.QueryAsync("a"), client.QueryAsync("b")); // two permits a second: neither waits

        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task The_limit_refuses_calls_once_disposed_and_stops_waiting_on_the_clock()
    {
        var time = new ObservedFakeTimeProvider();
        var store = new SlidingWindowStore { BusyUntil = DateTimeOffset.MaxValue };
        var limit = new AliTryOn.Http.SharedRateLimit(store, "k", 1, TimeSpan.FromSeconds(1), 10, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var waiting = limit.AcquireAsync(time.GetTimestamp(), CancellationToken.None).AsTask();
        await FakeClock.SettleAsync(waiting, () => time.HasTimerDueWithin(TimeSpan.FromSeconds(1)));

        limit.Dispose();
        limit.Dispose(); // twice: nothing more

        Assert.False((await waiting.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired);
        Assert.Throws<ObjectDisposedException>(() => limit.AcquireAsync(time.GetTimestamp(), CancellationToken.None));
        await FakeClock.SettleAsync(waiting, () => !time.HasTimerDueWithin(TimeSpan.FromSeconds(1)));
        Assert.False(time.HasTimerDueWithin(TimeSpan.FromSeconds(1))); // the loop's wait was cancelled
        Assert.Equal(1, store.Asked);
    }

    [Fact]
    public async Task A_call_already_cancelled_takes_no_permit_and_asks_nothing()
    {
        var time = new ObservedFakeTimeProvider();
        var store = new SlidingWindowStore();
        using var limit = new AliTryOn.Http.SharedRateLimit(store, "k", 1, TimeSpan.FromSeconds(1), 10, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limit.AcquireAsync(time.GetTimestamp(), new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(0, store.Asked);
        Assert.True((await limit.AcquireAsync(time.GetTimestamp(), CancellationToken.None)).IsAcquired); // the permit is still there
    }

    [Fact]
    public async Task The_limit_key_is_the_sha256_of_the_credential_as_the_readme_says()
    {
        var store = new SlidingWindowStore();
        await Client(store, 5, new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING"))).QueryAsync("a");
        await new TryOnClient(TestOptions.CreateSigned(o =>
        {
            o.RateLimit.RequestsPerSecond = 5;
            o.RateLimit.Store = store;
        }), new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING"))).QueryAsync("b");

        static string Hash(string text) => "tryon-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        Assert.Equal([Hash("AppCode " + TestOptions.AppCode), Hash("AppKey " + TestOptions.AppKey)], store.Calls.Select(c => c.LimitKey));
    }

    [Fact]
    public async Task When_no_permit_is_free_the_youngest_calls_past_the_queue_limit_are_refused_not_the_oldest()
    {
        // Three calls come while the first ask is on its way; the answer is "wait": QueueLimit 2 keeps the two oldest.
        var time = new ObservedFakeTimeProvider();
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new SlidingWindowStore { BusyUntil = DateTimeOffset.MaxValue, Answer = answer.Task };
        using var limit = new AliTryOn.Http.SharedRateLimit(store, "k", 1, TimeSpan.FromSeconds(1), 2, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var start = time.GetTimestamp();
        var young = limit.AcquireAsync(start + 2, CancellationToken.None).AsTask();
        var oldest = limit.AcquireAsync(start, CancellationToken.None).AsTask();
        var middle = limit.AcquireAsync(start + 1, CancellationToken.None).AsTask();

        answer.SetResult();
        var refused = await young.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(refused.IsAcquired);
        Assert.False(oldest.IsCompleted);
        Assert.False(middle.IsCompleted);
        limit.Dispose();
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
        await using var first = Registered(store, 1, transport, time);
        await using var second = Registered(store, 1, transport, time);
        var calls = Task.WhenAll(
            first.GetRequiredService<TryOnClient>().QueryAsync("a"),
            second.GetRequiredService<TryOnClient>().QueryAsync("b"));
        await FakeClock.SettleAsync(calls, () => transport.Requests.Count == 1 && store.Asked == 2);
        Assert.Single(transport.Requests);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await calls;
        Assert.Equal(2, store.Taken);
    }

    /// <summary>
    /// Moves the clock a step at a time up to <paramref name="upTo"/>, until <paramref name="task"/> completes, letting the
    /// code run between steps. Not <see cref="FakeClock.RunAsync"/>, which counts timers: each call that ends drops its own.
    /// </summary>
    private static async Task StepAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, Task task, TimeSpan upTo)
    {
        for (var step = 0; step < upTo / FakeClock.Step && !task.IsCompleted; step++)
        {
            FakeClock.Advance(time, FakeClock.Step);
            for (var y = 0; y < 50 && !task.IsCompleted; y++)
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>An instance with dependency injection: a container of its own, as in another process.</summary>
    private static ServiceProvider Registered(TryOnRateLimitStore store, double rate, HttpMessageHandler transport, TimeProvider time)
    {
        var services = new ServiceCollection().AddSingleton(time);
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
            o.RateLimit.RequestsPerSecond = rate;
            o.RateLimit.Store = store;
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        return services.BuildServiceProvider();
    }

    /// <summary>An instance of 1 call a second whose store the other instances keep full.</summary>
    private static (ObservedFakeTimeProvider Time, RecordingHandler Transport, TryOnClient Client) Busy(Action<TryOnClientOptions> configure)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var store = new SlidingWindowStore { BusyUntil = DateTimeOffset.MaxValue };
        return (time, transport, new TryOnClient(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = 1;
            o.RateLimit.Store = store;
            configure(o);
        }), transport, time));
    }

    /// <summary>An instance: a client of its own (its own limiter, as in another process) at <paramref name="rate"/> a second, keeping it in <paramref name="store"/>.</summary>
    private static TryOnClient Client(TryOnRateLimitStore? store, double rate, HttpMessageHandler transport, TimeProvider? time = null, ILoggerFactory? loggerFactory = null) =>
        new(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = rate;
            o.RateLimit.Store = store;
        }), transport, time, loggerFactory);

    private sealed class ThrowingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Throwing();

        public void Dispose()
        {
        }

        private sealed class Throwing : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                throw new InvalidOperationException("the logger failed");
        }
    }

    /// <summary>A fake clock whose wall-clock time can be set back, as NTP does, while its monotonic time goes on.</summary>
    private sealed class SteppedClock : Microsoft.Extensions.Time.Testing.FakeTimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }

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

        /// <summary>Whether asks go unanswered until they are cancelled (a store that is down, a host that drops packets).</summary>
        public bool Hangs { get; set; }

        /// <summary>Awaited before each answer: a round trip that takes as long as a test wants.</summary>
        public Task Answer { get; set; } = Task.CompletedTask;

        /// <summary>Until when the application's other instances keep the window full.</summary>
        public DateTimeOffset? BusyUntil { get; set; }

        /// <summary>Runs as each ask comes in, after it is counted, before the store reads the clock.</summary>
        public Action? OnAsk { get; set; }

        /// <summary>How many asks to refuse, whatever the window holds, with <see cref="RefusalWait"/>.</summary>
        public int Refusals { get; set; }

        public TimeSpan RefusalWait { get; set; }

        public IReadOnlyCollection<(string LimitKey, int Permits, TimeSpan Window, DateTimeOffset Now)> Calls => _calls;

        public int Asked => Volatile.Read(ref _asked);

        /// <summary>Asks given up by the client (cancelled while the store hung).</summary>
        public int Cancelled { get; private set; }

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

        public override async ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, TimeProvider clock, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _asked);
            OnAsk?.Invoke();
            var now = clock.GetUtcNow();
            _calls.Enqueue((limitKey, permits, window, now));
            if (Failure is { } failure)
            {
                throw failure;
            }

            await Answer;
            if (Hangs)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                finally
                {
                    Cancelled++;
                }
            }

            if (Refusals > 0)
            {
                Refusals--;
                return RefusalWait;
            }

            if (BusyUntil is { } until && now < until)
            {
                return until - now < window ? until - now : window;
            }

            lock (_taken)
            {
                var taken = _taken.TryGetValue(limitKey, out var list) ? list : _taken[limitKey] = [];
                var live = taken.Where(t => t > now - window).ToList();
                if (live.Count < permits)
                {
                    taken.Add(now);
                    return TimeSpan.Zero;
                }

                return live.Min() + window - now;
            }
        }
    }
}
