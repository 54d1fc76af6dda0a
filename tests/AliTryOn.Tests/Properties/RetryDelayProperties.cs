using System.Net;
using AliTryOn.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AliTryOn.Tests.Properties;

public class RetryDelayProperties
{
    [Property(MaxTest = 50)]
    public Property Retry_delays_stay_within_the_configured_maximum_and_attempts_stop_at_max_retries()
    {
        var settings =
            from maxRetries in Gen.Choose(1, 6)
            from baseMs in Gen.Frequency((1, Gen.Elements(1, 5_000)), (3, Gen.Choose(1, 5_000)))
            from maxMs in Gen.Frequency((1, Gen.Constant(baseMs)), (1, Gen.Constant(60_000)), (3, Gen.Choose(baseMs, 60_000)))
            select new TryOnRetryOptions
            {
                MaxRetries = maxRetries,
                BaseDelay = TimeSpan.FromMilliseconds(baseMs),
                MaxDelay = TimeSpan.FromMilliseconds(maxMs),
            };

        // Run off xUnit's synchronization context, which FakeClock needs to advance the clock deterministically.
        return Prop.ForAll(Arb.From(settings, Shrink), retry => Task.Run(() => QueryAgainstAnAlwaysBusyServiceAsync(retry)));
    }

    /// <summary>Simpler settings for FsCheck to try after a failure: fewer retries, no room between the delays, the shortest base.</summary>
    private static IEnumerable<TryOnRetryOptions> Shrink(TryOnRetryOptions retry)
    {
        if (retry.MaxRetries > 1)
        {
            yield return new TryOnRetryOptions { MaxRetries = retry.MaxRetries - 1, BaseDelay = retry.BaseDelay, MaxDelay = retry.MaxDelay };
        }

        if (retry.MaxDelay != retry.BaseDelay)
        {
            yield return new TryOnRetryOptions { MaxRetries = retry.MaxRetries, BaseDelay = retry.BaseDelay, MaxDelay = retry.BaseDelay };
        }

        var shortest = TimeSpan.FromMilliseconds(1);
        if (retry.BaseDelay != shortest)
        {
            yield return new TryOnRetryOptions { MaxRetries = retry.MaxRetries, BaseDelay = shortest, MaxDelay = retry.MaxDelay };
        }
    }

    private static async Task QueryAgainstAnAlwaysBusyServiceAsync(TryOnRetryOptions retry)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html"))
        {
            Clock = time,
        };
        var client = new TryOnClient(
            TestOptions.Create(o =>
            {
                o.Retry.MaxRetries = retry.MaxRetries;
                o.Retry.BaseDelay = retry.BaseDelay;
                o.Retry.MaxDelay = retry.MaxDelay;
                // No overall limit, so the attempt count depends on the retry policy alone.
                o.TotalTimeout = Timeout.InfiniteTimeSpan;
            }),
            transport,
            time);
        var limit = (retry.MaxDelay + TimeSpan.FromSeconds(1)) * (retry.MaxRetries + 1);

        await Assert.ThrowsAsync<TryOnServiceException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), limit));

        var at = transport.Requests.Select(static r => r.At).ToArray();
        Assert.Equal(retry.MaxRetries + 1, at.Length);
        // A timer fires at the end of the fake clock's step that holds its due time: one step of rounding.
        var longest = retry.MaxDelay + FakeClock.Step;
        for (var i = 1; i < at.Length; i++)
        {
            var gap = at[i] - at[i - 1];
            Assert.True(gap >= TimeSpan.Zero && gap <= longest, $"Gap {i} is {gap}, outside [0, {longest}] ({retry}).");
        }
    }
}
