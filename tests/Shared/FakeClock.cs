using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Tests.Shared;

/// <summary>
/// Drives code that waits on a <see cref="FakeTimeProvider"/>, deterministically and without real waiting.
/// Shared by the test projects (linked into each).
/// </summary>
internal static class FakeClock
{
    /// <summary>
    /// 1/64 s. A timer fires at the end of the step holding its due time, so waits are rounded up to a step; the
    /// default polling delays (1.5ⁿ seconds) are exact multiples of this step, so schedules can be checked exactly.
    /// </summary>
    public static readonly TimeSpan Step = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 64);

    /// <summary>
    /// Advances the clock with no synchronization context current. The runtime runs a <c>ConfigureAwait(false)</c>
    /// continuation inline only where no custom context is current (xUnit installs one), so this way every
    /// continuation a timer releases, and the work it does up to its next timer, runs inside the call.
    /// </summary>
    public static void Advance(FakeTimeProvider time, TimeSpan by)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            time.Advance(by);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>
    /// Advances the clock by <see cref="Step"/> until <paramref name="task"/> completes or <paramref name="limit"/> of
    /// fake time has passed.
    /// </summary>
    /// <remarks>
    /// Code under test may continue on the thread pool after a timer fires (the runtime does not always run a
    /// continuation inline, and some libraries queue theirs). Moving the clock meanwhile would skew every later
    /// time. With an <see cref="ObservedFakeTimeProvider"/>, after a timer fires the driver waits, without moving
    /// the clock, until the code has either finished or armed as many one-shot timers as before: only then is it
    /// waiting on the clock again. A real-time bound turns a hang into a failure.
    /// </remarks>
    public static Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan limit) => Task.Run(async () =>
    {
        var observed = time as ObservedFakeTimeProvider;
        var end = time.GetUtcNow() + limit;
        while (!task.IsCompleted && time.GetUtcNow() < end)
        {
            var pending = observed?.PendingTimers ?? 0;
            var fired = observed?.FiredTimers ?? 0;
            Advance(time, Step);
            if (observed is not null && observed.FiredTimers != fired)
            {
                await SettleAsync(task, () => observed.PendingTimers >= pending).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }
        }

        if (!task.IsCompleted)
        {
            throw new TimeoutException($"The task did not complete within {limit} of fake time.");
        }

        return await task.ConfigureAwait(false);
    });

    /// <summary>
    /// Drives many concurrent flows, each of which waits on one one-shot timer at a time (a poller with the client's
    /// time limits and the wait's limit off): the clock moves a step only once every unfinished flow is waiting on its
    /// timer again.
    /// </summary>
    /// <remarks>
    /// The driver counts timers, not flows: a flow holding two (a wait's time limit as well as its poll delay) lets the
    /// clock move while others are still working, and this loop, which does not yield while the count holds, then
    /// starves them of the thread pool.
    /// </remarks>
    public static Task<T[]> RunAllAsync<T>(ObservedFakeTimeProvider time, IReadOnlyList<Task<T>> flows, TimeSpan limit) => Task.Run(async () =>
    {
        var all = Task.WhenAll(flows);
        var unfinished = flows.Count;
        foreach (var flow in flows)
        {
            _ = flow.ContinueWith(_ => Interlocked.Decrement(ref unfinished), TaskScheduler.Default);
        }

        var end = time.GetUtcNow() + limit;
        while (!all.IsCompleted && time.GetUtcNow() < end)
        {
            await SettleAsync(all, () => time.PendingTimers >= Volatile.Read(ref unfinished)).ConfigureAwait(false);
            Advance(time, Step);
        }

        if (!all.IsCompleted)
        {
            throw new TimeoutException($"{Volatile.Read(ref unfinished)} of {flows.Count} flows did not complete within {limit} of fake time.");
        }

        return await all.ConfigureAwait(false);
    });

    /// <summary>Waits, in real time and at most a few seconds, for the task to end or the condition to hold.</summary>
    public static async Task SettleAsync(Task task, Func<bool> condition)
    {
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (!task.IsCompleted && !condition())
        {
            if (guard.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("The code under test neither finished nor went back to waiting on the clock.");
            }

            await Task.Yield();
        }
    }
}
