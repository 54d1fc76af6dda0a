using AliTryOn.Polling;

namespace AliTryOn.Tests.Polling;

public class PollingScheduleTests
{
    [Fact]
    public void Without_jitter_the_default_delays_grow_by_half_and_stop_at_15_seconds()
    {
        var schedule = new PollingSchedule(new TryOnPollingOptions());

        var delays = Enumerable.Range(0, 10).Select(n => schedule.GetDelay(n, 0.5).TotalSeconds).ToArray();

        Assert.Equal([1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625, 15, 15, 15], delays, new ToleranceComparer(1e-6));
    }

    [Theory]
    [InlineData(0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999999, 1.2)]
    public void Jitter_spreads_each_delay_by_at_most_the_ratio(double random, double factor)
    {
        var schedule = new PollingSchedule(new TryOnPollingOptions());

        Assert.Equal(2.25 * factor, schedule.GetDelay(2, random).TotalSeconds, 4);
        Assert.Equal(15 * factor, schedule.GetDelay(20, random).TotalSeconds, 4);
    }

    [Fact]
    public void Random_jitter_stays_within_bounds_and_uses_the_whole_range()
    {
        var schedule = new PollingSchedule(new TryOnPollingOptions());
        var random = new Random(1234);

        var factors = Enumerable.Range(0, 10_000).Select(_ => schedule.GetDelay(0, random.NextDouble()).TotalSeconds).ToArray();

        Assert.All(factors, f => Assert.InRange(f, 0.8, 1.2));
        Assert.True(factors.Min() < 0.81 && factors.Max() > 1.19);
    }

    [Fact]
    public void Huge_attempt_numbers_stay_at_the_cap()
    {
        var schedule = new PollingSchedule(new TryOnPollingOptions { Multiplier = 10 });

        Assert.Equal(TimeSpan.FromSeconds(15), schedule.GetDelay(100_000, 0.5));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
