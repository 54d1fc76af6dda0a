using System;
using System.Globalization;

namespace AliTryOn;

/// <summary>
/// How <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, System.Threading.CancellationToken)"/> polls:
/// each delay is <see cref="ElapsedRatio"/> of the time waited so far, never less than <see cref="InitialDelay"/> nor more
/// than <see cref="MaxDelay"/>, shortened at random by up to <see cref="JitterRatio"/>; until <see cref="Timeout"/>.
/// </summary>
/// <remarks>
/// A job that finishes after T is therefore noticed within max(<see cref="InitialDelay"/>, <see cref="ElapsedRatio"/> × T):
/// with the defaults within 1 s for short jobs and 15 % of the job's time for longer ones, using about 12 queries for a
/// 15 s job, 22 for a minute and 40 for five minutes (fixed 1-second polling would use 15, 60 and 300).
/// </remarks>
public sealed class TryOnPollingOptions
{
    /// <summary>Delay before the first query, and the shortest delay between queries. Default: 1 second. Must be positive.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each delay as a fraction of the time waited so far, which bounds how late completion is noticed (0.15: within
    /// 15 % of the job's time). Default: 0.15. Above 0, at most 1.
    /// </summary>
    public double ElapsedRatio { get; set; } = 0.15;

    /// <summary>The longest delay between two queries. Default: 15 seconds. At least <see cref="InitialDelay"/>.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Random shortening of each delay, as a fraction: 0.2 shortens each by 0 to 20 %. Spreads the queries of many
    /// jobs started together without ever polling later than the schedule. Default: 0.2. From 0 (no jitter) to below 1.
    /// </summary>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>
    /// How long to wait in total before giving up with <see cref="TryOnWaitTimeoutException"/> (the job itself goes on).
    /// The last query is made at the limit; a query still in flight <see cref="InitialDelay"/> after it is abandoned, so a
    /// wait never outlasts its limit by more than that. Default: 10 minutes. Positive, or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The default of <see cref="MaxConsecutiveFailedQueries"/>: 3.</summary>
    public const int DefaultMaxConsecutiveFailedQueries = 3;

    /// <summary>
    /// How many failed queries in a row a wait tolerates before it gives up: a query that fails with an error that may
    /// pass (<see cref="TryOnException.IsRetryable"/>: throttled, a 5xx, a lost connection, a timeout), after its own
    /// retries, is followed by the next query on the schedule; one more failure than this ends the wait with that
    /// error, which carries the job's <see cref="TryOnException.ResultKey"/>. A successful query resets the count.
    /// "No such job" (<see cref="TryOnJobNotFoundException"/>) counts as such a failure until the wait has seen the job
    /// once (a service may not know a job for a moment after its submit); after that it ends the wait at once.
    /// Default: <see cref="DefaultMaxConsecutiveFailedQueries"/> (3). From 0 (the first failure ends the wait) to 100.
    /// </summary>
    public int MaxConsecutiveFailedQueries { get; set; } = DefaultMaxConsecutiveFailedQueries;

    /// <summary>Lists the settings.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "InitialDelay = {0}, ElapsedRatio = {1}, MaxDelay = {2}, JitterRatio = {3}, Timeout = {4}, MaxConsecutiveFailedQueries = {5}",
        InitialDelay,
        ElapsedRatio,
        MaxDelay,
        JitterRatio,
        Timeout,
        MaxConsecutiveFailedQueries);
}
