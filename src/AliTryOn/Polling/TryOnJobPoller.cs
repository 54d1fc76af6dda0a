using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using AliTryOn.Http;

namespace AliTryOn.Polling;

/// <summary>
/// Polls a job until every task is terminal, on a <see cref="TimeProvider"/> so tests run it on a fake clock.
/// A loop of its own rather than a retry strategy: each query is an ordinary call through the client.
/// </summary>
internal sealed class TryOnJobPoller
{
    private readonly PollingSchedule _schedule;
    private readonly TimeProvider _timeProvider;
    private readonly TryOnTelemetry? _telemetry;
    private readonly Func<double> _random;

    public TryOnJobPoller(PollingSchedule schedule, TimeProvider timeProvider, TryOnTelemetry? telemetry = null)
    {
        _schedule = schedule;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _random = CreateRandom();
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
        // Under a busy rate limit, this wait's queries go ahead of younger work (Http.TimedReleaseRateLimiter).
        WorkOrigin.Set(started);

        // The time limit bounds the query in flight too: one still going InitialDelay after the limit is abandoned. A
        // limit beyond the longest a TimeLimit takes (24 days) needs no such bound: each query's own TotalTimeout ends it.
        using var deadline = timeout == Timeout.InfiniteTimeSpan || timeout > TimeLimit.Longest - _schedule.InitialDelay
            ? null
            : TimeLimit.Start(timeout + _schedule.InitialDelay, cancellationToken, _timeProvider);
        var queryToken = deadline?.Token ?? cancellationToken;
        try
        {
            TryOnJob? last = null;
            var failures = 0;
            for (;;)
            {
                var delay = _schedule.GetDelay(_timeProvider.GetElapsedTime(started), _random());
                if (timeout != Timeout.InfiniteTimeSpan)
                {
                    var remaining = timeout - _timeProvider.GetElapsedTime(started);
                    if (remaining <= TimeSpan.Zero)
                    {
                        throw TimedOut(activity, resultKey, timeout, _timeProvider.GetElapsedTime(started), polls, last);
                    }

                    // The last query lands on the deadline itself rather than after it.
                    delay = delay < remaining ? delay : remaining;
                }

                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                Poll poll;
                try
                {
                    poll = await PollAsync(resultKey, query, queryToken, tolerate: failures < tolerated, seen: last is not null).ConfigureAwait(false);
                }
                catch (OperationCanceledException cancelled) when (deadline?.Caused(cancelled) == true)
                {
                    throw TimedOut(activity, resultKey, timeout, _timeProvider.GetElapsedTime(started), polls, last);
                }

                polls++;
                if (poll.Job is null)
                {
                    // The query failed with an error that may pass, after its own retries: the wait goes on to the next
                    // query on the schedule.
                    failures++;
                    if (_telemetry is { } telemetry)
                    {
                        Log.WaitQueryFailed(telemetry.Logger, resultKey, failures, tolerated, poll.Error!.GetType().Name);
                    }

                    continue;
                }

                var job = poll.Job;
                failures = 0;
                if (StatusesChanged(last, job))
                {
                    ReportChange(job);
                    options?.Progress?.Report(job);
                }

                last = job;
                if (job.HasCompleted)
                {
                    if (poll.Error is { } unusableLinks)
                    {
                        // Every task finished all the same: they count, though some of their links cannot be used.
                        _telemetry?.TasksFinished(job);
                        throw unusableLinks;
                    }

                    _telemetry?.WaitCompleted(activity, job, polls, _timeProvider.GetElapsedTime(started));
                    if (options?.ThrowOnFailedTasks == true && job.HasFailures)
                    {
                        throw FailedTasks(resultKey, job);
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

    /// <summary>
    /// One query of the wait. A job read whole gives it; a job read with some tasks' links unusable gives it with that
    /// error, which ends the wait once every task has finished. When <paramref name="tolerate"/>, an error that may
    /// pass gives no job (the wait goes on), and so does "no such job" (23500008) before the job was ever seen: a
    /// service may not know a job for a moment after its submit. Any other error is thrown.
    /// </summary>
    private static async Task<Poll> PollAsync(string resultKey, Func<string, CancellationToken, Task<TryOnJob>> query, CancellationToken cancellationToken, bool tolerate, bool seen)
    {
        try
        {
            return new Poll(await query(resultKey, cancellationToken).ConfigureAwait(false), null);
        }
        catch (TryOnInvalidResponseException partial) when (partial.Job is { } readable)
        {
            return new Poll(readable, partial);
        }
        catch (TryOnException error) when (tolerate && (error.IsRetryable || (error is TryOnJobNotFoundException && !seen)))
        {
            return new Poll(null, error);
        }
    }

    /// <summary>The error of a completed job with failed tasks, for a wait told to throw it (<see cref="TryOnWaitOptions.ThrowOnFailedTasks"/>).</summary>
    public static TryOnJobFailedException FailedTasks(string resultKey, TryOnJob job) =>
        new($"Try-on job '{resultKey}' completed with {job.FailedTasks.Count} of {job.Tasks.Count} tasks failed.")
        {
            Job = job,
            ResultKey = resultKey,
        };

    /// <summary>What one query gave: the job (or none, after an error the wait tolerates) and the error, if any.</summary>
    private readonly record struct Poll(TryOnJob? Job, TryOnException? Error);

    private TryOnWaitTimeoutException TimedOut(System.Diagnostics.Activity? activity, string resultKey, TimeSpan timeout, TimeSpan elapsed, int polls, TryOnJob? last)
    {
        var timedOut = new TryOnWaitTimeoutException(resultKey, timeout, last);
        _telemetry?.WaitTimedOut(activity, resultKey, timeout, elapsed, polls, timedOut);
        return timedOut;
    }

    private void ReportChange(TryOnJob job)
    {
        if (_telemetry?.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information) == true)
        {
            Log.JobStatusChanged(_telemetry.Logger, job.ResultKey, string.Join(", ", job.Tasks.Select(static t => t.Status.Value)));
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => _timeProvider.DelayAsync(delay, cancellationToken);

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
