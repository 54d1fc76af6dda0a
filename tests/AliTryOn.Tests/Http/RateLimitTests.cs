using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Tests.Http;

/// <summary>The client-side rate limit: off by default; concurrency and rate limits per AppCode; a bounded queue.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task Without_a_limit_every_call_goes_out_at_once()
    {
        var transport = new GateHandler();
        var client = new TryOnClient(TestOptions.Create(), transport);

        var calls = Enumerable.Range(0, 20).Select(i => client.QueryAsync($"k{i}")).ToArray();
        await FakeClock.SettleAsync(Task.WhenAll(calls), () => transport.InFlight == 20);
        transport.Release(20);
        await Task.WhenAll(calls);

        Assert.Equal(20, transport.MaxInFlight);
    }

    [Fact]
    public async Task A_concurrency_limit_holds_the_others_until_a_call_finishes()
    {
        var transport = new GateHandler();
        var client = new TryOnClient(TestOptions.Create(o => o.RateLimit.MaxConcurrentRequests = 2), transport);

        var calls = Enumerable.Range(0, 6).Select(i => Task.Run(() => client.QueryAsync($"k{i}"))).ToArray();
        var all = Task.WhenAll(calls);
        for (var finished = 0; finished < 6; finished++)
        {
            var expected = finished + Math.Min(2, 6 - finished);
            await FakeClock.SettleAsync(all, () => transport.Arrived == expected && transport.InFlight == expected - finished);
            Assert.Equal(expected, transport.Arrived);
            transport.Release();
        }

        await all;
        Assert.Equal(2, transport.MaxInFlight);
    }

    [Fact]
    public async Task A_rate_limit_spaces_calls_out_on_the_clients_clock()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("rk", "RUNNING")) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.RateLimit.RequestsPerSecond = 2), transport, time);
        var start = time.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => client.QueryAsync($"k{i}"))));
        // One second's worth (two calls) goes at once; each permit comes back a second after it was taken.
        for (var second = 0; second < 3; second++)
        {
            var expected = 2 * (second + 1);
            await FakeClock.SettleAsync(calls, () => transport.Requests.Count == expected);
            Assert.Equal(expected, transport.Requests.Count);
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        }

        await calls;
        Assert.Equal([0, 0, 1, 1, 2, 2], transport.Requests.Select(r => (r.At - start).TotalSeconds).Order());
    }

    [Fact]
    public async Task Calls_beyond_the_queue_limit_fail_at_once_as_throttled_without_being_sent()
    {
        var transport = new GateHandler();
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.RateLimit.MaxConcurrentRequests = 1;
            o.RateLimit.QueueLimit = 1;
        }), transport);

        var holding = client.QueryAsync("a");
        await FakeClock.SettleAsync(holding, () => transport.InFlight == 1);
        var queued = client.QueryAsync("b");
        var refused = await Assert.ThrowsAsync<TryOnThrottledException>(() => client.QueryAsync("c"));
        var refusedSubmit = await Assert.ThrowsAsync<TryOnThrottledException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal("The client-side rate limit (TryOnClientOptions.RateLimit) has more calls waiting than its QueueLimit; the call was not sent.", refused.Message);
        Assert.True(refused.IsRetryable);
        Assert.Null(refused.RetryAfter); // the queue frees as calls end: no time to give
        Assert.Equal(refused.Message + " No job was created, so it is safe to submit again.", refusedSubmit.Message);
        Assert.Equal(1, transport.Arrived);
        transport.Release(2);
        await Task.WhenAll(holding, queued);
        Assert.Equal(2, transport.Arrived);
    }

    [Fact]
    public async Task Clients_registered_for_the_same_appcode_share_one_limit_and_other_appcodes_have_their_own()
    {
        var transport = new GateHandler();
        var services = new ServiceCollection();
        void Register(string name, string appCode) => services.AddTryOnClient(name, o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = appCode;
            o.RateLimit.MaxConcurrentRequests = 1;
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        Register("a", "shared-code");
        Register("b", "shared-code");
        Register("c", "other-code");
        await using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredKeyedService<TryOnClient>("a").QueryAsync("1");
        await FakeClock.SettleAsync(first, () => transport.InFlight == 1);
        var sameCode = provider.GetRequiredKeyedService<TryOnClient>("b").QueryAsync("2");
        var otherCode = provider.GetRequiredKeyedService<TryOnClient>("c").QueryAsync("3");
        await FakeClock.SettleAsync(otherCode, () => transport.InFlight == 2);

        Assert.Equal(2, transport.Arrived); // "b" waits for "a"'s permit; "c" has a limit of its own
        transport.Release(3);
        await Task.WhenAll(first, sameCode, otherCode);
        Assert.Equal(3, transport.Arrived);
        Assert.Equal(2, transport.MaxInFlight);
    }

    [Fact]
    public async Task Under_a_busy_rate_limit_a_wait_s_query_goes_ahead_of_younger_calls_that_asked_first()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((request, _) => RecordingHandler.Response(
            HttpStatusCode.OK,
            Json.Job(KeyOf(request), KeyOf(request) == "old" ? "SUCCESS" : "RUNNING"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = 1; // one call, then one a second
            o.Polling.InitialDelay = TimeSpan.FromMilliseconds(500);
            o.Polling.JitterRatio = 0;
        }), transport, time);
        var start = time.GetUtcNow();

        // 0 s: a call takes the one permit (back at 1 s), and a wait begins; its first query is due at 0.5 s.
        var first = client.QueryAsync("first");
        await FakeClock.SettleAsync(first, () => transport.Requests.Count == 1);
        var wait = client.WaitForCompletionAsync("old");
        // 0.25 s: three calls of work begun now ask for a permit, before the wait's query does.
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(250));
        var pending = time.PendingTimers;
        var young = Enumerable.Range(0, 3).Select(i => Task.Run(() => client.QueryAsync($"young{i}"))).ToArray();
        await FakeClock.SettleAsync(Task.WhenAll(young), () => time.PendingTimers == pending + 3); // each waits, its time limit set
        // 0.5 s: the wait's query asks too; at 1 s the permit comes back and goes to the oldest work, the wait's.
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(250));
        await FakeClock.SettleAsync(wait, () => time.PendingTimers >= pending + 3);
        FakeClock.Advance(time, TimeSpan.FromMilliseconds(500));
        await FakeClock.SettleAsync(wait, () => transport.Requests.Count == 2);

        Assert.Equal("old", KeyOf(transport.Requests[1]));
        Assert.Equal(1, (transport.Requests[1].At - start).TotalSeconds);
        var job = await wait;
        Assert.True(job.HasCompleted);

        // The younger calls then go, one a second. Their order among themselves is the order they reached the limiter,
        // which Task.Run leaves open, so it is not asserted here (TimedReleaseRateLimiterTests checks arrival order).
        for (var second = 2; second <= 4; second++)
        {
            FakeClock.Advance(time, TimeSpan.FromSeconds(1));
            var count = second + 1;
            await FakeClock.SettleAsync(Task.WhenAll(young), () => transport.Requests.Count == count);
        }

        await Task.WhenAll(young);
        Assert.Equal(["first", "old", "young0", "young1", "young2"], transport.Requests.Select(KeyOf).Take(2).Concat(transport.Requests.Skip(2).Select(KeyOf).Order()));
    }

    private static string KeyOf(RecordedRequest request) => request.QueriedKey!;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Calls_waiting_for_a_permit_end_when_their_container_is_disposed(bool concurrency)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new GateHandler();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
            o.RateLimit.RequestsPerSecond = 1;
            o.RateLimit.MaxConcurrentRequests = concurrency ? 1 : 0; // else the rate holds the second call
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();
        var holding = client.QueryAsync("a"); // the permits of both limits, held in the transport
        await FakeClock.SettleAsync(holding, () => transport.InFlight == 1);
        var waiting = client.QueryAsync("b");

        await provider.DisposeAsync();

        await Assert.ThrowsAsync<TryOnThrottledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        transport.Release();
        await Record.ExceptionAsync(() => holding);
        Assert.Equal(1, transport.Arrived);
    }
}
