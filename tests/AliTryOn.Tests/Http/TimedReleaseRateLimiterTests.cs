using AliTryOn.Http;

namespace AliTryOn.Tests.Http;

/// <summary>
/// The rate limiter's queue: permits come back one window after they were taken and go to the oldest work waiting
/// (by origin, then arrival); a cancelled call leaves the queue; a full queue refuses at once; disposing refuses the rest.
/// </summary>
public class TimedReleaseRateLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Waiting_calls_get_permits_oldest_origin_first_then_in_arrival_order()
    {
        var time = new ObservedFakeTimeProvider();
        using var limiter = new TimedReleaseRateLimiter(1, Window, queueLimit: 10, time);
        Assert.True((await limiter.AcquireAsync(origin: 0, CancellationToken.None)).IsAcquired);

        var granted = new List<string>();
        Task Wait(string name, long origin) => limiter.AcquireAsync(origin, CancellationToken.None).AsTask().ContinueWith(
            lease =>
            {
                Assert.True(lease.Result.IsAcquired);
                lock (granted)
                {
                    granted.Add(name);
                }
            },
            TaskScheduler.Default);
        var waits = new[] { Wait("30", 30), Wait("10a", 10), Wait("20", 20), Wait("10b", 10) };
        Assert.Equal(4, limiter.GetStatistics()!.CurrentQueuedCount);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentAvailablePermits);

        for (var released = 1; released <= 4; released++)
        {
            FakeClock.Advance(time, Window);
            var expected = released;
            await FakeClock.SettleAsync(Task.WhenAll(waits), () => Volatile.Read(ref granted).Count >= expected);
        }

        await Task.WhenAll(waits);
        Assert.Equal(["10a", "10b", "20", "30"], granted);
    }

    [Fact]
    public async Task A_cancelled_call_leaves_the_queue_and_the_next_gets_the_permit()
    {
        var time = new ObservedFakeTimeProvider();
        using var limiter = new TimedReleaseRateLimiter(1, Window, queueLimit: 10, time);
        await limiter.AcquireAsync(0, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(1, cancellation.Token).AsTask();
        var next = limiter.AcquireAsync(2, CancellationToken.None).AsTask();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, limiter.GetStatistics()!.CurrentQueuedCount);
        FakeClock.Advance(time, Window);

        Assert.True((await next).IsAcquired);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task Beyond_the_queue_limit_a_call_is_refused_at_once_and_disposing_refuses_those_waiting()
    {
        var time = new ObservedFakeTimeProvider();
        var limiter = new TimedReleaseRateLimiter(2, Window, queueLimit: 1, time);
        Assert.True((await limiter.AcquireAsync(0, CancellationToken.None)).IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired); // both permits are out

        var waiting = limiter.AcquireAsync(0, CancellationToken.None).AsTask();
        var refused = await limiter.AcquireAsync(0, CancellationToken.None);
        Assert.False(refused.IsAcquired);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, limiter.GetStatistics()!.TotalFailedLeases); // the attempt and the call beyond the queue

        limiter.Dispose();
        Assert.False((await waiting).IsAcquired);
        Assert.Throws<ObjectDisposedException>(() => limiter.AcquireAsync(0, CancellationToken.None));
    }

    [Fact]
    public async Task Permits_come_back_one_window_after_they_were_taken()
    {
        var time = new ObservedFakeTimeProvider();
        using var limiter = new TimedReleaseRateLimiter(2, Window, queueLimit: 10, time);
        Assert.True(limiter.AttemptAcquire(0).IsAcquired); // asks whether a permit is free, takes none
        Assert.Equal(2, limiter.GetStatistics()!.CurrentAvailablePermits);
        await limiter.AcquireAsync(0, CancellationToken.None);
        FakeClock.Advance(time, Window / 2);
        await limiter.AcquireAsync(0, CancellationToken.None);
        Assert.Null(limiter.IdleDuration);

        FakeClock.Advance(time, Window / 2);
        Assert.Equal(1, limiter.GetStatistics()!.CurrentAvailablePermits);
        FakeClock.Advance(time, Window / 2);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(TimeSpan.Zero, limiter.IdleDuration);
        Assert.Equal(2, limiter.GetStatistics()!.TotalSuccessfulLeases);
    }
}
