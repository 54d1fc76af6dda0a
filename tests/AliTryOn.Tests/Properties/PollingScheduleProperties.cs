using AliTryOn.Polling;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AliTryOn.Tests.Properties;

public class PollingScheduleProperties
{
    /// <summary>Slack for the conversion to whole ticks and for floating-point rounding.</summary>
    private const double RelativeSlack = 1e-9;

    /// <summary>
    /// A delay is the scheduled one (the elapsed ratio of the wait, between the initial and the maximum delay), shortened
    /// by at most the jitter ratio: never longer, so the bound on how late a job is noticed holds.
    /// </summary>
    [Property(MaxTest = 5000)]
    public Property A_poll_delay_stays_within_its_capped_and_jittered_bounds()
    {
        var cases =
            from options in PollingOptions()
            from elapsedSeconds in Gen.Frequency((2, Gen.Elements(0, 1, 2, 86_400)), (3, Gen.Choose(0, 600)), (2, Gen.Choose(0, 86_400)))
            from random in UnitRandom()
            select (options, elapsedSeconds, random);
        return Prop.ForAll(Arb.From(cases, Shrink), c =>
        {
            var (options, elapsedSeconds, random) = c;
            var elapsed = TimeSpan.FromSeconds(elapsedSeconds);
            var delay = new PollingSchedule(options).GetDelay(elapsed, random).Ticks;

            var scheduled = Math.Min(Math.Max(options.InitialDelay.Ticks, elapsed.Ticks * options.ElapsedRatio), options.MaxDelay.Ticks);
            var lower = (scheduled * (1 - options.JitterRatio) * (1 - RelativeSlack)) - 1;
            var upper = (scheduled * (1 + RelativeSlack)) + 1;
            return (delay >= 0 && delay >= lower && delay <= upper)
                .Label($"delay {delay} ticks, expected within [{lower:F0}, {upper:F0}] ({options}; elapsed {elapsed}; random {random:R})");
        });
    }

    /// <summary>Simpler cases for FsCheck to try after a failure, each still valid and each a step towards the defaults' shape.</summary>
    private static IEnumerable<(TryOnPollingOptions Options, int ElapsedSeconds, double Random)> Shrink((TryOnPollingOptions Options, int ElapsedSeconds, double Random) c)
    {
        var (options, attempt, random) = c;
        if (attempt > 0)
        {
            yield return (options, 0, random);
            yield return (options, attempt / 2, random);
            yield return (options, attempt - 1, random);
        }

        if (random != 0)
        {
            yield return (options, attempt, 0);
            if (random != 0.5)
            {
                yield return (options, attempt, 0.5);
            }
        }

        TryOnPollingOptions With(Action<TryOnPollingOptions> change)
        {
            var copy = new TryOnPollingOptions
            {
                InitialDelay = options.InitialDelay,
                ElapsedRatio = options.ElapsedRatio,
                MaxDelay = options.MaxDelay,
                JitterRatio = options.JitterRatio,
            };
            change(copy);
            return copy;
        }

        if (options.JitterRatio != 0)
        {
            yield return (With(static o => o.JitterRatio = 0), attempt, random);
        }

        if (options.ElapsedRatio != 0.5)
        {
            yield return (With(static o => o.ElapsedRatio = 0.5), attempt, random);
        }

        if (options.MaxDelay != options.InitialDelay)
        {
            yield return (With(static o => o.MaxDelay = o.InitialDelay), attempt, random);
        }

        var wholeMilliseconds = TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor(options.InitialDelay.TotalMilliseconds)));
        if (options.InitialDelay != wholeMilliseconds)
        {
            yield return (With(o => o.InitialDelay = wholeMilliseconds), attempt, random);
        }
    }

    /// <summary>Valid settings, spread on a log scale and with the edges of each range made likely.</summary>
    private static Gen<TryOnPollingOptions> PollingOptions() =>
        from initialMs in LogScale(1, 60_000)
        from ratio in Gen.Frequency((1, Gen.Elements(1.0, 0.15)), (3, UnitRandom().Select(static u => 1 - u)))
        from maxFactor in Gen.Frequency((1, Gen.Constant(0.0)), (3, UnitRandom()))
        from jitter in Gen.Frequency((1, Gen.Elements(0.0, 0.99)), (3, UnitRandom().Select(static u => 0.99 * u)))
        let initial = TimeSpan.FromTicks((long)(initialMs * TimeSpan.TicksPerMillisecond))
        let max = initial + TimeSpan.FromTicks((long)((TimeSpan.FromMinutes(10) - initial).Ticks * maxFactor))
        select new TryOnPollingOptions { InitialDelay = initial, ElapsedRatio = ratio, MaxDelay = max, JitterRatio = jitter };

    /// <summary>A number in [0, 1) with 53 random bits, its edges (0 and the largest double below 1) made likely.</summary>
    private static Gen<double> UnitRandom() => Gen.Frequency(
        (1, Gen.Elements(0.0, 0.5, Math.BitDecrement(1.0))),
        (6, from high in Gen.Choose(0, (1 << 26) - 1)
            from low in Gen.Choose(0, (1 << 27) - 1)
            select ((high * (double)(1 << 27)) + low) / (1L << 53)));

    private static Gen<double> LogScale(double min, double max) =>
        UnitRandom().Select(u => Math.Min(max, min * Math.Pow(max / min, u)));
}
