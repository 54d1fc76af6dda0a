using System.Net;
using AliTryOn.Testing;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>With the SDK's retries on (its default), a passing throttle never reaches the app's callers.</summary>
public sealed class SdkRetryTests() : SampleAppTest(new Dictionary<string, string>
{
    ["AliTryOn:Retry:MaxRetries"] = "3",
    ["AliTryOn:Retry:MaxDelay"] = "00:00:02", // a backoff timer is then told apart from the 30 s attempt timeout
})
{
    [Fact]
    public async Task A_throttled_submit_is_retried_by_the_sdk_and_accepted_once()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled());

        // The SDK waits out its backoff on the app's clock. Once the throttled attempt is back and the backoff timer
        // is armed, the clock moves past it; nothing else in flight waits on the clock meanwhile.
        var post = PostAsync(OneTask);
        await FakeClock.SettleAsync(post, () =>
            Emulator.Requests.Any(r => r.Operation == TryOnEmulatorOperation.Submit) && Factory.Time.HasTimerDueWithin(TimeSpan.FromSeconds(2)));
        FakeClock.Advance(Factory.Time, TimeSpan.FromSeconds(2));
        using var response = await post.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var submits = Emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.Submit).ToArray();
        Assert.Equal([403, 200], submits.Select(r => r.Status));
        Assert.Equal(1, Emulator.JobCount);
        Assert.NotEqual(submits[0].Nonce, submits[1].Nonce);
    }
}
