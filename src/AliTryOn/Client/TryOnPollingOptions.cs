using System;
using System.Globalization;

namespace AliTryOn;

/// <summary>
/// How <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, System.Threading.CancellationToken)"/> polls:
/// the first query after <see cref="InitialDelay"/>, each later delay <see cref="Multiplier"/> times the previous one up to
/// <see cref="MaxDelay"/>, each spread by ±<see cref="JitterRatio"/>, until <see cref="Timeout"/>.
/// </summary>
/// <remarks>
/// With the defaults the queries go out at about 1, 2.5, 4.8, 8.1, 13.2, 20.8, 32.2, 47.2 s … and then every 15 s,
/// so a job that takes the service's typical 15 s is noticed within a few seconds using about six queries.
/// </remarks>
public sealed class TryOnPollingOptions
{
    /// <summary>Delay before the first query. Default: 1 second. Must be positive.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Factor applied to the delay after each query. Default: 1.5. Must be at least 1.</summary>
    public double Multiplier { get; set; } = 1.5;

    /// <summary>The longest delay between two queries, before jitter. Default: 15 seconds. At least <see cref="InitialDelay"/>.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Random spread applied to each delay, as a fraction: 0.2 means ±20 %. Spreads the queries of many jobs
    /// started together. Default: 0.2. From 0 (no jitter) to below 1.
    /// </summary>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>
    /// How long to wait in total before giving up with <see cref="TryOnWaitTimeoutException"/> (the job itself goes on).
    /// Default: 10 minutes. Positive, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Lists the settings.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "InitialDelay = {0}, Multiplier = {1}, MaxDelay = {2}, JitterRatio = {3}, Timeout = {4}",
        InitialDelay,
        Multiplier,
        MaxDelay,
        JitterRatio,
        Timeout);
}
