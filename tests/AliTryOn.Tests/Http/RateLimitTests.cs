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
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "RUNNING")) { Clock = time };
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
}
