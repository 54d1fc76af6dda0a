using System;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Polling;

/// <summary>
/// Polls a job until every task is terminal, on a <see cref="TimeProvider"/> so tests run it on a fake clock.
/// A loop of its own rather than a retry strategy: each query is an ordinary call through the client.
/// </summary>
internal sealed class TryOnJobPoller
{
    private readonly PollingSchedule _schedule;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;

    public TryOnJobPoller(PollingSchedule schedule, TimeProvider timeProvider, Func<double>? random = null)
    {
        _schedule = schedule;
        _timeProvider = timeProvider;
        _random = random ?? CreateRandom();
    }

    public async Task<TryOnJob> WaitAsync(
        string resultKey,
        Func<string, CancellationToken, Task<TryOnJob>> query,
        TryOnWaitOptions? options,
        CancellationToken cancellationToken)
    {
        var timeout = options?.Timeout ?? _schedule.Timeout;
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "TryOnWaitOptions.Timeout must be positive or infinite.");
        }

        var started = _timeProvider.GetTimestamp();
        TryOnJob? last = null;
        for (var attempt = 0; ; attempt++)
        {
            var delay = _schedule.GetDelay(attempt, _random());
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                var remaining = timeout - _timeProvider.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TryOnWaitTimeoutException(resultKey, timeout, last);
                }

                // The last query lands on the deadline itself rather than after it.
                delay = delay < remaining ? delay : remaining;
            }

            await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            var job = await query(resultKey, cancellationToken).ConfigureAwait(false);
            if (StatusesChanged(last, job))
            {
                options?.Progress?.Report(job);
            }

            last = job;
            if (job.IsCompleted)
            {
                if (options?.ThrowOnFailedTasks == true && job.HasFailures)
                {
                    throw new TryOnJobFailedException(
                        $"Try-on job '{resultKey}' completed with {job.FailedTasks.Count} of {job.Tasks.Count} tasks failed.")
                    {
                        Job = job,
                    };
                }

                return job;
            }
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
#if NET8_0_OR_GREATER
        Task.Delay(delay, _timeProvider, cancellationToken);
#else
        _timeProvider.Delay(delay, cancellationToken);
#endif

    private static bool StatusesChanged(TryOnJob? previous, TryOnJob current)
    {
        if (previous is null || previous.Tasks.Count != current.Tasks.Count)
        {
            return true;
        }

        for (var i = 0; i < current.Tasks.Count; i++)
        {
            if (previous.Tasks[i].Status != current.Tasks[i].Status)
            {
                return true;
            }
        }

        return false;
    }

    private static Func<double> CreateRandom()
    {
#if NET6_0_OR_GREATER
        return Random.Shared.NextDouble;
#else
        // Random is not thread-safe; one client's waits may run concurrently.
        var random = new Random();
        return () =>
        {
            lock (random)
            {
                return random.NextDouble();
            }
        };
#endif
    }
}
