using AliTryOn.Polling;

namespace AliTryOn.Benchmarks.Bulk;

/// <summary>What no client can beat, given the rate limit and the job duration, and what the poller should spend.</summary>
internal static class BulkBounds
{
    /// <summary>
    /// The earliest the k-th request (from 1) can go under a limit of <paramref name="rate"/> requests per second that
    /// lets a second's worth, B = ⌈R⌉, go at once: ⌊(k − 1) / B⌋ × B / R. For R = 10: requests 1 to 10 at 0 s, 11 to 20 at 1 s…
    /// </summary>
    public static TimeSpan Earliest(int k, double rate)
    {
        var burst = Math.Max(1, (int)Math.Ceiling(rate));
        return TimeSpan.FromSeconds((k - 1) / burst * (burst / rate));
    }

    /// <summary>
    /// The theoretical minimum wall time of a run of <paramref name="jobs"/> jobs lasting <paramref name="duration"/> each:
    /// W_min = max(t(S) + T, t(2S)), where t(k) is <see cref="Earliest"/>. The last of the S submits goes at t(S) at the
    /// earliest and its job needs T; and every job needs at least one query once done, so 2S requests in all. Downloads
    /// (object storage, no rate limit) and round trips count as zero: the bound is what an ideal client that knew each
    /// job's end would need.
    /// </summary>
    public static TimeSpan Minimum(int jobs, double rate, TimeSpan duration)
    {
        var lastSubmit = Earliest(jobs, rate);
        var lastQuery = Earliest(2 * jobs, rate);
        return lastSubmit + duration > lastQuery ? lastSubmit + duration : lastQuery;
    }

    /// <summary>
    /// Queries the default poller sends for a job that ends after <paramref name="duration"/>, when nothing delays them:
    /// the schedule of <see cref="PollingSchedule"/> with the jitter at its mean (the polling simulation in
    /// docs/benchmarks.md runs it on a fake clock: 14 for a 15 s job).
    /// </summary>
    public static int PredictedQueries(TimeSpan duration, TryOnPollingOptions polling)
    {
        var schedule = new PollingSchedule(polling);
        var elapsed = TimeSpan.Zero;
        var queries = 0;
        do
        {
            elapsed += schedule.GetDelay(elapsed, 0.5);
            queries++;
        }
        while (elapsed < duration);

        return queries;
    }
}
