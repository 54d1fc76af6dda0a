using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Http;

/// <summary>
/// The client's two time limits hold whatever valid value they are given: not only within the 10 ms to 24 h that a
/// Polly timeout strategy accepts, but from a millisecond up to what a timer holds.
/// </summary>
public class TimeLimitTests
{
    [Fact]
    public async Task An_attempt_limit_under_10_ms_ends_each_hung_attempt_and_the_query_is_retried()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(5);
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
            o.Retry.MaxRetries = 2;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        }), transport, time);

        var call = client.QueryAsync("rk");
        // The clock moves only once each attempt has reached the service: a limit shorter than the test's own steps
        // could otherwise end an attempt before it is sent.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await FakeClock.SettleAsync(call, () => transport.Requests.Count == attempt);
            FakeClock.Advance(time, TimeSpan.FromMilliseconds(4));
            // The attempt is still waiting on its own limit, due exactly 1 ms from now: 5 ms after it was sent.
            Assert.True(time.HasTimerDueWithin(TimeSpan.FromMilliseconds(1)), $"Attempt {attempt} has no limit due at 5 ms.");
            Assert.False(time.HasTimerDueWithin(TimeSpan.FromMilliseconds(1) - TimeSpan.FromTicks(1)), $"Attempt {attempt} ended, or its limit is due, before 5 ms.");
            FakeClock.Advance(time, TimeSpan.FromMilliseconds(1));
            if (attempt < 3)
            {
                await FakeClock.SettleAsync(call, () => time.HasTimerDueWithin(TimeSpan.FromSeconds(2)));
                FakeClock.Advance(time, TimeSpan.FromSeconds(2));
            }
        }

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => call);
        Assert.Equal(3, transport.Requests.Count);
        Assert.Contains("00:00:00.0050000", error.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<Polly.Timeout.TimeoutRejectedException>(error.InnerException);
        Assert.Equal(TimeSpan.FromMilliseconds(5), inner.Timeout);
        Assert.Contains("00:00:00.0050000", inner.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task A_total_limit_that_runs_out_at_the_rate_limit_is_named_with_or_without_retries(int retries)
    {
        // Polly's rate limiter throws when its wait is cancelled; only a retry strategy around it catches that.
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(System.Net.HttpStatusCode.OK, Json.Job("rk", "RUNNING")) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.RateLimit.RequestsPerSecond = 0.2;
            o.TotalTimeout = TimeSpan.FromSeconds(1);
            o.Retry.MaxRetries = retries;
        }), transport, time);
        await client.QueryAsync("rk");

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromMinutes(1)));

        Assert.Single(transport.Requests);
        Assert.Contains("00:00:01 (AttemptTimeout or TotalTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.IsType<Polly.Timeout.TimeoutRejectedException>(error.InnerException).Timeout);
    }

    [Fact]
    public async Task A_cancellation_the_limits_did_not_cause_is_not_reported_as_theirs()
    {
        // A transport that gives up on its own (what HttpClient throws when a Timeout of its own passes), while both
        // of the client's limits are on and far from running out.
        var transport = new RecordingHandler((_, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => client.QueryAsync("rk"));

        // Not retried as an attempt that ran out, and named for what it was.
        Assert.Single(transport.Requests);
        Assert.IsType<TaskCanceledException>(error.InnerException);
        Assert.Contains("HttpClient.Timeout", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_total_limit_of_days_holds_a_hung_call_that_long_and_ends_it_then()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.TotalTimeout = TimeSpan.FromDays(3);
        }), transport, time);
        var started = time.GetUtcNow();

        var call = client.QueryAsync("rk");
        await FakeClock.SettleAsync(call, () => transport.Requests.Count == 1);
        FakeClock.Advance(time, TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        Assert.False(call.IsCompleted, "The call ended before its total limit.");
        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(time, call, TimeSpan.FromMinutes(1)));

        Assert.Single(transport.Requests);
        Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromDays(3), TimeSpan.FromDays(3) + TimeSpan.FromSeconds(2));
        Assert.Contains("3.00:00:00", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TryOnClientOptions.AttemptTimeout))]
    [InlineData(nameof(TryOnClientOptions.TotalTimeout))]
    public void A_limit_longer_than_a_timer_holds_is_refused_with_the_longest_allowed(string setting)
    {
        var error = Assert.Throws<ArgumentException>("options", () => new TryOnClient(TestOptions.Create(o =>
        {
            if (setting == nameof(TryOnClientOptions.AttemptTimeout))
            {
                o.AttemptTimeout = TimeSpan.FromDays(25);
            }
            else
            {
                o.TotalTimeout = TimeSpan.FromDays(25);
            }
        })));

        Assert.Contains($"TryOnClientOptions.{setting} must be positive and at most 24 days, or infinite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_longest_limit_allowed_is_accepted_on_the_system_clock_and_within_every_runtimes_bound()
    {
        // .NET Framework's token sources take at most int.MaxValue milliseconds; the runtime the tests run on takes
        // more, so that bound is checked on the constant, and the system clock's token sources are given the limit.
        Assert.True(AliTryOn.Http.TimeLimit.Longest <= TimeSpan.FromMilliseconds(int.MaxValue));
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(System.Net.HttpStatusCode.OK, Json.Job("rk", "RUNNING")));
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.AttemptTimeout = AliTryOn.Http.TimeLimit.Longest;
            o.TotalTimeout = AliTryOn.Http.TimeLimit.Longest;
        }), transport);

        var job = await client.QueryAsync("rk");

        Assert.Equal("rk", job.ResultKey);
    }
}
