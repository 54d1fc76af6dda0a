using System;

namespace AliTryOn.Polling;

/// <summary>The delays between queries: exponential from an initial delay, capped, then spread by jitter.</summary>
internal sealed class PollingSchedule
{
    private readonly double _initialTicks;
    private readonly double _maxTicks;
    private readonly double _multiplier;
    private readonly double _jitterRatio;

    public PollingSchedule(TryOnPollingOptions options)
    {
        _initialTicks = options.InitialDelay.Ticks;
        _maxTicks = options.MaxDelay.Ticks;
        _multiplier = options.Multiplier;
        _jitterRatio = options.JitterRatio;
        Timeout = options.Timeout;
    }

    /// <summary>The default time limit of a wait.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The delay before query number <paramref name="attempt"/> (0 for the first).</summary>
    /// <param name="attempt">Zero-based index of the query.</param>
    /// <param name="unitRandom">A number in [0, 1): 0 gives the shortest delay, values near 1 the longest.</param>
    public TimeSpan GetDelay(int attempt, double unitRandom)
    {
        // Math.Pow overflows to infinity for large attempts; the cap keeps the result finite.
        var baseTicks = Math.Min(_initialTicks * Math.Pow(_multiplier, attempt), _maxTicks);
        var factor = 1 + (_jitterRatio * ((2 * unitRandom) - 1));
        return TimeSpan.FromTicks((long)(baseTicks * factor));
    }
}
