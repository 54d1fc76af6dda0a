using System;

namespace AliTryOn.Polling;

/// <summary>
/// The delays between queries: each at most <c>ElapsedRatio</c> of the time waited so far, never less than the initial
/// delay nor more than the maximum, then shortened by jitter.
/// </summary>
/// <remarks>
/// A job that finishes at time T is noticed by the next query, which comes at most one delay later; that delay is at
/// most max(initial delay, ratio × T). Jitter only shortens delays, so it never breaks that bound.
/// </remarks>
internal sealed class PollingSchedule
{
    private readonly double _initialTicks;
    private readonly double _maxTicks;
    private readonly double _elapsedRatio;
    private readonly double _jitterRatio;

    public PollingSchedule(TryOnPollingOptions options)
    {
        _initialTicks = options.InitialDelay.Ticks;
        _maxTicks = options.MaxDelay.Ticks;
        _elapsedRatio = options.ElapsedRatio;
        _jitterRatio = options.JitterRatio;
        InitialDelay = options.InitialDelay;
        Timeout = options.Timeout;
        MaxConsecutiveFailedQueries = options.MaxConsecutiveFailedQueries;
    }

    /// <summary>The shortest delay between queries; also how long a query in flight may outlast the wait's time limit.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>The default time limit of a wait.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The default number of failed queries in a row a wait tolerates.</summary>
    public int MaxConsecutiveFailedQueries { get; }

    /// <summary>The delay before the next query, after <paramref name="elapsed"/> of waiting.</summary>
    /// <param name="elapsed">How long the wait has lasted so far.</param>
    /// <param name="unitRandom">A number in [0, 1): 0 leaves the delay whole, values near 1 shorten it by the most.</param>
    public TimeSpan GetDelay(TimeSpan elapsed, double unitRandom)
    {
        var proportional = elapsed.Ticks * _elapsedRatio;
        var baseTicks = Math.Min(Math.Max(_initialTicks, proportional), _maxTicks);
        return TimeSpan.FromTicks((long)(baseTicks * (1 - (_jitterRatio * unitRandom))));
    }
}
