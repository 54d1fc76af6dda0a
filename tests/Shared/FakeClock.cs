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

    /// <summary>Advances the clock by <see cref="Step"/> until <paramref name="task"/> completes or <paramref name="limit"/> of fake time has passed.</summary>
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan limit)
    {
        var end = time.GetUtcNow() + limit;
        while (!task.IsCompleted && time.GetUtcNow() < end)
        {
            Advance(time, Step);
        }

        if (!task.IsCompleted)
        {
            throw new TimeoutException($"The task did not complete within {limit} of fake time.");
        }

        return await task;
    }
}
