using AliTryOn.Polling;

namespace AliTryOn.Tests.Polling;

public class PollingScheduleTests
{
    private static readonly PollingSchedule Defaults = new(new TryOnPollingOptions());

    [Theory]
    [InlineData(0, 1)] // the first query after the initial delay
    [InlineData(3, 1)] // short waits: never below the initial delay
    [InlineData(20, 3)] // then 15 % of the time waited
    [InlineData(60, 9)]
    [InlineData(100, 15)]
    [InlineData(1000, 15)] // capped
    public void Without_jitter_each_delay_is_fifteen_percent_of_the_wait_between_one_and_fifteen_seconds(double elapsedSeconds, double delaySeconds) =>
        Assert.Equal(delaySeconds, Defaults.GetDelay(TimeSpan.FromSeconds(elapsedSeconds), 0).TotalSeconds, 6);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(0.5, 0.9)]
    [InlineData(0.999999, 0.8)]
    public void Jitter_only_shortens_a_delay_by_up_to_the_ratio(double random, double factor)
    {
        Assert.Equal(3 * factor, Defaults.GetDelay(TimeSpan.FromSeconds(20), random).TotalSeconds, 4);
        Assert.Equal(15 * factor, Defaults.GetDelay(TimeSpan.FromMinutes(20), random).TotalSeconds, 4);
    }

    [Fact]
    public void Random_jitter_stays_within_bounds_and_uses_the_whole_range()
    {
        var random = new Random(1234);

        var delays = Enumerable.Range(0, 10_000).Select(_ => Defaults.GetDelay(TimeSpan.Zero, random.NextDouble()).TotalSeconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 0.8, 1.0));
        Assert.True(delays.Min() < 0.81 && delays.Max() > 0.99);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(120)]
    [InlineData(300)]
    public void A_job_is_noticed_within_one_second_or_fifteen_percent_of_its_time_with_few_queries(int jobSeconds)
    {
        // Walk the schedule with the longest delays (no jitter): the worst case.
        var t = TimeSpan.Zero;
        var queries = 0;
        while (t < TimeSpan.FromSeconds(jobSeconds))
        {
            t += Defaults.GetDelay(t, 0);
            queries++;
        }

        var late = t - TimeSpan.FromSeconds(jobSeconds);
        Assert.True(late <= TimeSpan.FromSeconds(Math.Max(1, 0.15 * jobSeconds)), $"noticed {late} late");
        Assert.True(queries <= jobSeconds, $"{queries} queries for a {jobSeconds} s job");
        Assert.True(jobSeconds < 60 || queries <= jobSeconds / 2, $"{queries} queries for a {jobSeconds} s job");
    }
}
