using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;

namespace AliTryOn.Polling;

/// <summary>
/// Polls a job until every task is terminal, on a <see cref="TimeProvider"/> so tests run it on a fake clock.
/// A loop of its own rather than a retry strategy: each query is an ordinary call through the client.
/// </summary>
internal sealed class TryOnJobPoller
{
    /// <summary>The longest delay every runtime's timers accept (int.MaxValue milliseconds).</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly PollingSchedule _schedule;
    private readonly TimeProvider _timeProvider;
    private readonly TryOnTelemetry? _telemetry;
    private readonly Func<double> _random;

    public TryOnJobPoller(PollingSchedule schedule, TimeProvider timeProvider, TryOnTelemetry? telemetry = null, Func<double>? random = null)
    {
        _schedule = schedule;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _random = random ?? CreateRandom();
    }

    /// <summary>Checks a wait's own settings; called before anything is sent, so that a bad setting costs no job.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public static void Validate(TryOnWaitOptions? options, string paramName)
    {
        if (options?.Timeout is { } timeout && timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, "TryOnWaitOptions.Timeout must be positive or infinite.");
        }

        if (options?.MaxConsecutiveFailedQueries is { } failures and (< 0 or > Client.TryOnClientOptionsValidator.MaxConsecutiveFailedQueriesLimit))
        {
            throw new ArgumentOutOfRangeException(paramName, failures, $"TryOnWaitOptions.MaxConsecutiveFailedQueries must be from 0 to {Client.TryOnClientOptionsValidator.MaxConsecutiveFailedQueriesLimit}.");
        }
    }

    public async Task<TryOnJob> WaitAsync(
        string resultKey,
        Func<string, CancellationToken, Task<TryOnJob>> query,
        TryOnWaitOptions? options,
        CancellationToken cancellationToken)
    {
        Validate(options, nameof(options));
        var timeout = options?.Timeout ?? _schedule.Timeout;
        var tolerated = options?.MaxConsecutiveFailedQueries ?? _schedule.MaxConsecutiveFailedQueries;

        using var activity = TryOnTelemetry.StartWait(resultKey);
        var started = _timeProvider.GetTimestamp();
        var polls = 0;

        // The time limit bounds the query in flight too: one still going InitialDelay after the limit is abandoned. A
        // limit beyond what a timer can hold (about 24 days) needs no such bound: each query's own TotalTimeout ends it.
        using var deadline = timeout == Timeout.InfiniteTimeSpan || timeout > MaxTimerDelay - _schedule.InitialDelay
            ? null
            : CreateTimer(timeout + _schedule.InitialDelay);
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var queryToken = linked?.Token ?? cancellationToken;
        try
        {
            TryOnJob? last = null;
            TryOnInvalidResponseException? unusableLinks = null;
            var failures = 0;
            while (true)
            {
                var delay = _schedule.GetDelay(_timeProvider.GetElapsedTime(started), _random());
                if (timeout != Timeout.InfiniteTimeSpan)
                {
                    var remaining = timeout - _timeProvider.GetElapsedTime(started);
                    if (remaining <= TimeSpan.Zero)
                    {
                        throw TimedOut(activity, resultKey, timeout, polls, last);
                    }

                    // The last query lands on the deadline itself rather than after it.
                    delay = delay < remaining ? delay : remaining;
                }

                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                TryOnJob job;
                try
                {
                    job = await query(resultKey, queryToken).ConfigureAwait(false);
                    unusableLinks = null;
                }
                catch (TryOnInvalidResponseException partial) when (partial.Job is { } readable)
                {
                    // Some tasks' links cannot be downloaded; the job itself was read. Its other tasks go on, so the
                    // wait does too, and ends with this error (and the job as read) once every task has finished.
                    job = readable;
                    unusableLinks = partial;
                }
                catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut(activity, resultKey, timeout, polls, last);
                }
                catch (TryOnException error) when (error.IsRetryable && failures < tolerated)
                {
                    // The query made its own retries; the wait goes on to the next query on the schedule.
                    failures++;
                    polls++;
                    if (_telemetry is { } telemetry)
                    {
                        Log.WaitQueryFailed(telemetry.Logger, resultKey, failures, tolerated, error.GetType().Name);
                    }

                    continue;
                }

                failures = 0;
                polls++;
                if (StatusesChanged(last, job))
                {
                    ReportChange(job);
                    options?.Progress?.Report(job);
                }

                last = job;
                if (job.HasCompleted)
                {
                    if (unusableLinks is not null)
                    {
                        throw unusableLinks;
                    }

                    _telemetry?.WaitCompleted(activity, job, polls, _timeProvider.GetElapsedTime(started));
                    if (options?.ThrowOnFailedTasks == true && job.HasFailures)
                    {
                        throw new TryOnJobFailedException(
                            $"Try-on job '{resultKey}' completed with {job.FailedTasks.Count} of {job.Tasks.Count} tasks failed.")
                        {
                            Job = job,
                            ResultKey = resultKey,
                        };
                    }

                    return job;
                }
            }
        }
        catch (Exception exception) when (exception is not (TryOnWaitTimeoutException or TryOnJobFailedException { Job: not null }))
        {
            // The wait's error names its job, whoever raised it (a query of a client that overrides QueryAsync included).
            (exception as TryOnException)?.SetResultKey(resultKey);

            // A query's own failure was logged by the client; the wait's span and metrics record how it ended.
            _telemetry?.WaitFailed(activity, _timeProvider.GetElapsedTime(started), polls, exception);
            throw;
        }
    }

    private TryOnWaitTimeoutException TimedOut(System.Diagnostics.Activity? activity, string resultKey, TimeSpan timeout, int polls, TryOnJob? last)
    {
        var timedOut = new TryOnWaitTimeoutException(resultKey, timeout, last);
        _telemetry?.WaitTimedOut(activity, resultKey, timeout, polls, timedOut);
        return timedOut;
    }

    private CancellationTokenSource CreateTimer(TimeSpan delay) =>
#if NET8_0_OR_GREATER
        new(delay, _timeProvider);
#else
        _timeProvider.CreateCancellationTokenSource(delay);
#endif

    private void ReportChange(TryOnJob job)
    {
        if (_telemetry?.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information) == true)
        {
            Log.JobStatusChanged(_telemetry.Logger, job.ResultKey, string.Join(", ", job.Tasks.Select(static t => t.Status.Value)));
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
