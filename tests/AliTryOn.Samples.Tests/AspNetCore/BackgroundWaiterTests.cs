using System.Net;
using AliTryOn.Samples.AspNetCore.Jobs;
using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>The background waiter when a wait times out, fails, or the app shuts down.</summary>
public sealed class BackgroundWaiterTests() : SampleAppTest(new Dictionary<string, string> { ["AliTryOn:Polling:Timeout"] = "00:00:02", ["AliTryOn:Polling:MaxConsecutiveFailedQueries"] = "0" })
{
    [Fact]
    public async Task A_wait_that_times_out_is_reported_and_the_job_is_then_followed_live()
    {
        var timers = Factory.Time.PendingTimers;
        var statusUrl = await SubmitAsync(); // the emulator's jobs take 4 s; the wait gives up after 2 s
        // The app hands the job to its waiter in the background: the clock moves only once the wait is on it.
        await FakeClock.SettleAsync(new TaskCompletionSource().Task, () => Factory.Time.PendingTimers > timers);

        var timedOut = await AdvanceUntilAsync(statusUrl, s => s.GetProperty("note").GetString() is not null);

        Assert.False(timedOut.GetProperty("hasCompleted").GetBoolean());
        Assert.Contains("time limit", timedOut.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains("Ask again later", timedOut.GetProperty("note").GetString(), StringComparison.Ordinal);

        // Asking again queries the service, until the job is done; then the final job is kept.
        var done = await WaitUntilCompletedAsync(statusUrl);
        Assert.Equal(["SUCCESS"], Statuses(done));
        var queries = Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query);
        var again = await GetJsonAsync(statusUrl);
        Assert.True(again.GetProperty("hasCompleted").GetBoolean());
        Assert.Equal(queries, Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query));
    }

    [Fact]
    public async Task A_wait_that_fails_is_reported_and_the_app_keeps_answering()
    {
        Emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, TryOnEmulatorFault.InternalError());
        var statusUrl = await SubmitAsync();

        // The waiter's query fails. From then on the status endpoint asks the service itself, which fails too: 502.
        var answer = HttpStatusCode.OK;
        for (var step = 0; step < 60 && answer == HttpStatusCode.OK; step++)
        {
            using var response = await Client.GetAsync(statusUrl);
            answer = response.StatusCode;
            if (answer == HttpStatusCode.OK)
            {
                FakeClock.Advance(Factory.Time, TimeSpan.FromSeconds(1));
            }
            else
            {
                await ReadProblemAsync(response, HttpStatusCode.BadGateway);
            }
        }

        Assert.Equal(HttpStatusCode.BadGateway, answer);
        Assert.Equal(TrackedJobState.WaitFailed, Factory.Services.GetRequiredService<TryOnJobStore>().Find(Key(statusUrl))?.State);

        // Once the service recovers, the key still finds the job, with a note on what happened.
        Emulator.Faults.Clear();
        var status = await GetJsonAsync(statusUrl);
        Assert.Contains("background wait failed", status.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(["SUCCESS"], Statuses(await WaitUntilCompletedAsync(statusUrl)));
    }

    [Fact]
    public async Task Shutting_down_stops_waiting_promptly_and_cleanly()
    {
        await SubmitAsync();
        var waiter = Factory.Services.GetServices<IHostedService>().OfType<TryOnJobWaiter>().Single();

        // Real time only bounds a hang; the stop itself needs no fake time to pass.
        await waiter.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(waiter.ExecuteTask?.IsCompletedSuccessfully, $"the waiter ended {waiter.ExecuteTask?.Status}");
    }

    private static string Key(string statusUrl) => statusUrl[(statusUrl.LastIndexOf('/') + 1)..];
}
