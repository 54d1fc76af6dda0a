using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Polling;

/// <summary>The poller on a fake clock: schedule, time limit, cancellation, partial failure and progress.</summary>
public class WaitForCompletionTests
{
    private readonly ObservedFakeTimeProvider _time = new();
    private readonly List<TimeSpan> _queryTimes = [];
    private readonly DateTimeOffset _start;

    public WaitForCompletionTests() => _start = _time.GetUtcNow();

    [Fact]
    public async Task Queries_follow_the_backoff_schedule_and_return_when_every_task_is_terminal()
    {
        var client = Client(NoJitter, "WAITING", "RUNNING", "RUNNING", "RUNNING", "SUCCESS");

        var job = await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk"), TimeSpan.FromMinutes(1));

        Assert.True(job.HasCompleted);
        Assert.Equal("rk", job.ResultKey);
        // Short waits poll every InitialDelay (1 s); a delay is 15 % of the wait only after about 6.7 s.
        Assert.Equal([1, 2, 3, 4, 5], _queryTimes.Select(t => t.TotalSeconds));
    }

    [Fact]
    public async Task Jittered_delays_are_shortened_by_at_most_twenty_percent_of_the_schedule()
    {
        var statuses = Enumerable.Repeat("RUNNING", 24).Append("SUCCESS").ToArray();
        var client = Client(o => { }, statuses);

        await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk"), TimeSpan.FromMinutes(5));

        var previous = TimeSpan.Zero;
        var deviations = new List<double>();
        foreach (var time in _queryTimes)
        {
            var scheduled = Math.Min(Math.Max(1, 0.15 * previous.TotalSeconds), 15);
            var gap = (time - previous).TotalSeconds;
            Assert.InRange(gap, (scheduled * 0.8) - FakeClock.Step.TotalSeconds, scheduled + FakeClock.Step.TotalSeconds);
            deviations.Add(scheduled - gap);
            previous = time;
        }

        Assert.Equal(25, _queryTimes.Count);
        // Jitter is really applied: some delays are shorter than scheduled by far more than the clock's step.
        Assert.Contains(deviations, deviation => deviation > 10 * FakeClock.Step.TotalSeconds);
    }

    [Fact]
    public async Task The_time_limit_throws_with_the_result_key_and_the_last_job_after_a_final_query_at_the_deadline()
    {
        var client = Client(o => { NoJitter(o); o.Polling.Timeout = TimeSpan.FromSeconds(20); }, "WAITING", "RUNNING");

        var error = await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() => FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk-slow"), TimeSpan.FromMinutes(1)));

        Assert.Equal("rk-slow", error.ResultKey);
        Assert.Equal(TimeSpan.FromSeconds(20), error.Timeout);
        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(error.LastJob!.Tasks).Status);
        Assert.Contains("rk-slow", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRetryable);
        Assert.Equal(20, _queryTimes[^1].TotalSeconds);
        Assert.Equal(20, (_time.GetUtcNow() - _start).TotalSeconds);
    }

    [Fact]
    public async Task A_per_call_time_limit_overrides_the_client_default()
    {
        var client = Client(NoJitter, "RUNNING");

        var error = await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() =>
            FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk", new TryOnWaitOptions { Timeout = TimeSpan.FromSeconds(3) }), TimeSpan.FromMinutes(1)));

        Assert.Equal(TimeSpan.FromSeconds(3), error.Timeout);
        Assert.Equal([1, 2, 3], _queryTimes.Select(t => t.TotalSeconds));
    }

    [Fact]
    public async Task Cancellation_between_queries_ends_the_wait_promptly_without_the_clock_moving()
    {
        var client = Client(NoJitter, "RUNNING");
        using var cancellation = new CancellationTokenSource();

        var wait = client.WaitForCompletionAsync("rk", cancellationToken: cancellation.Token);
        FakeClock.Advance(_time, TimeSpan.FromSeconds(1.2)); // first query done, now waiting for the second
        Assert.Single(_queryTimes);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Single(_queryTimes);
    }

    [Fact]
    public async Task A_job_with_failed_tasks_returns_normally_with_per_task_outcomes()
    {
        var client = Client(NoJitter, "RUNNING", "SUCCESS|FAILED");

        var job = await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk"), TimeSpan.FromMinutes(1));

        Assert.True(job.HasCompleted);
        Assert.Equal(0, Assert.Single(job.SucceededTasks).Index);
        Assert.Equal(1, Assert.Single(job.FailedTasks).Index);
        Assert.Equal(2, job.ResultUrls.Count);
    }

    [Fact]
    public async Task Failed_tasks_throw_when_the_caller_asks_and_the_exception_keeps_the_job()
    {
        var client = Client(NoJitter, "SUCCESS|FAILED");

        var error = await Assert.ThrowsAsync<TryOnJobFailedException>(() =>
            FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk", new TryOnWaitOptions { ThrowOnFailedTasks = true }), TimeSpan.FromMinutes(1)));

        Assert.Equal("rk", error.Job!.ResultKey);
        Assert.Single(error.Job.SucceededTasks);
        Assert.Contains("1 of 2 tasks failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_is_reported_once_per_status_change_including_the_first_status()
    {
        var client = Client(NoJitter, "WAITING|WAITING", "WAITING|WAITING", "RUNNING|WAITING", "RUNNING|WAITING", "RUNNING|RUNNING", "SUCCESS|SUCCESS");
        var reports = new List<string>();
        var progress = new SynchronousProgress(job => reports.Add(string.Join("|", job.Tasks.Select(t => t.Status.Value))));

        await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk", new TryOnWaitOptions { Progress = progress }), TimeSpan.FromMinutes(2));

        Assert.Equal(["WAITING|WAITING", "RUNNING|WAITING", "RUNNING|RUNNING", "SUCCESS|SUCCESS"], reports);
    }

    [Fact]
    public async Task A_bare_result_key_from_another_process_can_be_waited_for()
    {
        var submittedElsewhere = "rk-from-yesterday";
        var freshClient = Client(NoJitter, "SUCCESS");

        var job = await FakeClock.RunAsync(_time, freshClient.WaitForCompletionAsync(submittedElsewhere), TimeSpan.FromMinutes(1));

        Assert.Equal(submittedElsewhere, job.ResultKey);
    }

    [Fact]
    public async Task A_query_error_during_the_wait_is_raised()
    {
        var transport = new RecordingHandler((_, i) => i == 0
            ? RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "RUNNING"))
            : RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500008", "No records found")));
        var client = new TryOnClient(TestOptions.Create(NoJitter), transport, _time);

        await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk"), TimeSpan.FromMinutes(1)));
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Submit_and_wait_polls_the_key_the_submit_returned()
    {
        var transport = new RecordingHandler((request, i) => RecordingHandler.Response(
            HttpStatusCode.OK,
            i == 0 ? Json.Job("rk-new", "WAITING") : Json.Job("rk-new", "SUCCESS")));
        var client = new TryOnClient(TestOptions.Create(NoJitter), transport, _time);

        var job = await FakeClock.RunAsync(_time, client.SubmitAndWaitAsync(TestOptions.Task()), TimeSpan.FromMinutes(1));

        Assert.True(job.HasCompleted);
        Assert.Equal(TestOptions.SubmitUrl, transport.Requests[0].Uri.ToString());
        Assert.Equal("""{"data":{"result_key":"rk-new"}}""", transport.Requests[1].Body);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Invalid_per_call_time_limit_is_refused()
    {
        var client = Client(NoJitter, "RUNNING");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.WaitForCompletionAsync("rk", new TryOnWaitOptions { Timeout = TimeSpan.Zero }));
        Assert.Empty(_queryTimes);
    }

    private static void NoJitter(TryOnClientOptions options) => options.Polling.JitterRatio = 0;

    /// <summary>
    /// A client whose query answers follow <paramref name="script"/> (each entry the statuses of the tasks, split by |;
    /// the last entry repeats), recording the fake time of each query.
    /// </summary>
    private TryOnClient Client(Action<TryOnClientOptions> configure, params string[] script)
    {
        var transport = new RecordingHandler((request, index) =>
        {
            _queryTimes.Add(_time.GetUtcNow() - _start);
            var statuses = script[Math.Min(index, script.Length - 1)].Split('|');
            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-x", statuses).Replace("rk-x", ResultKey(request), StringComparison.Ordinal));
        });
        return new TryOnClient(TestOptions.Create(configure), transport, _time);
    }

    private static string ResultKey(RecordedRequest request) => request.QueriedKey!;
}
