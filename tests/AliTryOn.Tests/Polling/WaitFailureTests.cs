using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Polling;

/// <summary>
/// A wait whose queries fail: a few failures in a row are ridden out, more end the wait with the last error and the
/// job's key; the wait's time limit bounds a query in flight; after a submit, every failure of the wait names the job.
/// </summary>
public class WaitFailureTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    private static Func<HttpResponseMessage> Unavailable => () => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html");

    private static (TryOnClient Client, RecordingHandler Transport, ObservedFakeTimeProvider Time) Client(Action<TryOnClientOptions>? configure, params Func<HttpResponseMessage>[] answers)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = Answers.InOrder(time, answers);
        var client = new TryOnClient(
            TestOptions.Create(o =>
            {
                // One attempt per query, so that each answer is one query of the wait.
                o.Retry.MaxRetries = 0;
                o.Polling.JitterRatio = 0;
                configure?.Invoke(o);
            }),
            transport,
            time);
        return (client, transport, time);
    }

    [Fact]
    public async Task Failed_queries_up_to_the_tolerated_number_in_a_row_do_not_end_the_wait()
    {
        var (client, transport, time) = Client(
            null,
            Answers.Job("rk", "RUNNING"),
            Unavailable,
            Unavailable,
            Unavailable,
            Answers.Job("rk", "RUNNING"),
            Unavailable,
            Answers.Job("rk", "SUCCESS"));

        var job = await FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk"), Limit);

        Assert.True(job.HasCompleted);
        Assert.Equal(7, transport.Requests.Count);
    }

    [Fact]
    public async Task One_more_failure_in_a_row_than_tolerated_ends_the_wait_with_that_error_and_the_result_key()
    {
        var (client, transport, time) = Client(o => o.Polling.MaxConsecutiveFailedQueries = 2, Answers.Job("rk-down", "RUNNING"), Unavailable);

        var error = await Assert.ThrowsAsync<TryOnServiceException>(() => FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk-down"), Limit));

        Assert.Equal(4, transport.Requests.Count); // one that worked, then 3 failures: 2 tolerated, the third ends it
        Assert.Equal("rk-down", error.ResultKey);
        Assert.Equal(503, error.Status);
    }

    [Fact]
    public async Task A_wait_s_own_setting_overrides_the_client_s_tolerance()
    {
        var (client, transport, time) = Client(null, Unavailable);

        var error = await Assert.ThrowsAsync<TryOnServiceException>(() =>
            FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk", new TryOnWaitOptions { MaxConsecutiveFailedQueries = 0 }), Limit));

        Assert.Single(transport.Requests);
        Assert.Equal("rk", error.ResultKey);
    }

    [Theory]
    [InlineData("23500003")] // quota
    [InlineData("23500001")] // authentication
    public async Task A_failure_that_would_only_repeat_ends_the_wait_at_once(string code)
    {
        var (client, transport, time) = Client(null, Answers.Error(HttpStatusCode.Forbidden, code, "refused"));

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk"), Limit));

        Assert.Single(transport.Requests);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal("rk", error.ResultKey);
    }

    [Fact]
    public async Task A_job_the_service_does_not_know_yet_right_after_its_submit_is_waited_for()
    {
        // A service whose storage is eventually consistent may not find a job for a moment after creating it.
        var notFound = Answers.Error(HttpStatusCode.BadRequest, "23500008", "No records found related to the specified resultKey parameter");
        var (client, transport, time) = Client(null, notFound, notFound, Answers.Job("rk-new", "RUNNING"), Answers.Job("rk-new", "SUCCESS"));

        var job = await FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk-new"), Limit);

        Assert.True(job.HasCompleted);
        Assert.Equal(4, transport.Requests.Count);
    }

    [Fact]
    public async Task A_key_the_service_never_knows_ends_the_wait_after_the_tolerated_queries()
    {
        var (client, transport, time) = Client(null, Answers.Error(HttpStatusCode.BadRequest, "23500008", "No records found related to the specified resultKey parameter"));

        var error = await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk-gone"), Limit));

        Assert.Equal(1 + TryOnPollingOptions.DefaultMaxConsecutiveFailedQueries, transport.Requests.Count);
        Assert.Equal("rk-gone", error.ResultKey);
    }

    [Fact]
    public async Task A_job_that_was_seen_and_is_then_not_found_ends_the_wait_at_once()
    {
        // Gone after it was seen: expired or removed, and no later query will find it.
        var (client, transport, time) = Client(null, Answers.Job("rk", "RUNNING"), Answers.Error(HttpStatusCode.BadRequest, "23500008", "No records found"));

        var error = await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk"), Limit));

        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal("rk", error.ResultKey);
    }

    [Fact]
    public async Task A_task_whose_links_cannot_be_used_does_not_stop_the_wait_for_the_others_and_nothing_else_is_lost()
    {
        static Func<HttpResponseMessage> Tasks(string third) => () => RecordingHandler.Response(HttpStatusCode.OK, $$"""
            {"code":0,"data":{"result_key":"rk-mixed","task_list":[
              {"status":"SUCCESS","results":["https://results.example.test/0-a.png"]},
              {"status":"SUCCESS","results":["https://results.example.test/1-a.png","oss://bucket/1-b.png?Signature=SECRET-sig"]},
              {{third}}]},"success":true}
            """);
        var (client, transport, time) = Client(
            null,
            Tasks("""{"status":"RUNNING"}"""),
            Tasks("""{"status":"SUCCESS","results":["https://results.example.test/2-a.png"]}"""));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk-mixed"), Limit));

        Assert.Equal(2, transport.Requests.Count); // the first answer, with a task still running, did not end the wait
        Assert.Equal("rk-mixed", error.ResultKey);
        Assert.Equal([1], error.TaskIndices);
        var job = error.Job!;
        Assert.True(job.HasCompleted);
        Assert.Equal([new Uri("https://results.example.test/0-a.png")], job.Tasks[0].ResultUrls);
        Assert.Equal([new Uri("https://results.example.test/1-a.png")], job.Tasks[1].ResultUrls);
        Assert.Equal([new Uri("https://results.example.test/2-a.png")], job.Tasks[2].ResultUrls);
        Assert.Contains("result 1 of task 1 uses the scheme 'oss'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-sig", error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.Details.RawBody);
    }

    [Fact]
    public async Task A_time_limit_longer_than_a_timer_can_hold_is_accepted()
    {
        var (client, _, time) = Client(null, Answers.Job("rk", "RUNNING"), Answers.Job("rk", "SUCCESS"));

        var job = await FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk", new TryOnWaitOptions { Timeout = TimeSpan.MaxValue }), Limit);

        Assert.True(job.HasCompleted);
    }

    [Fact]
    public async Task The_time_limit_bounds_a_query_in_flight()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, index) => index == 0 ? RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "RUNNING")) : null) { Clock = time };
        // Left alone, the hanging query would last its attempt timeout (30 s) and be retried, for up to 2 minutes.
        var client = new TryOnClient(TestOptions.Create(o => o.Polling.JitterRatio = 0), transport, time);
        var start = time.GetUtcNow();

        var error = await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() =>
            FakeClock.RunAsync(time, client.WaitForCompletionAsync("rk", new TryOnWaitOptions { Timeout = TimeSpan.FromSeconds(10) }), Limit));

        Assert.Equal("rk", error.ResultKey);
        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(error.LastJob!.Tasks).Status);
        // At most the limit plus InitialDelay (1 s), and the clock's step.
        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11) + FakeClock.Step);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task After_a_submit_every_failure_of_the_wait_carries_the_key_of_the_job_created()
    {
        var (client, transport, time) = Client(
            o => o.Polling.MaxConsecutiveFailedQueries = 0,
            Answers.Job("rk-billed", "WAITING"),
            () => RecordingHandler.Response(HttpStatusCode.Unauthorized, Json.Error("23500001", "Authorization required to perform current operation")));

        var error = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => FakeClock.RunAsync(time, client.SubmitAndWaitAsync(TestOptions.Task()), Limit));

        Assert.Equal("rk-billed", error.ResultKey);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task After_a_submit_a_wait_that_a_mock_fails_without_a_key_still_names_the_job()
    {
        var client = new FailingWaitClient();

        var error = await Assert.ThrowsAsync<TryOnConnectionException>(() => client.SubmitAndWaitAsync(TestOptions.Task()));

        Assert.Equal("rk-mock", error.ResultKey);
    }

    [Fact]
    public async Task Wait_settings_out_of_range_fail_a_submit_and_wait_before_anything_is_sent()
    {
        var (client, transport, _) = Client(null, Answers.Job("rk", "WAITING"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SubmitAndWaitAsync(TestOptions.Task(), new TryOnWaitOptions { Timeout = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SubmitAndWaitAsync(TestOptions.Task(), new TryOnWaitOptions { MaxConsecutiveFailedQueries = -1 }));

        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_cancellation_a_query_raises_on_its_own_is_not_taken_for_the_wait_s_time_limit()
    {
        var client = new OverriddenQueryClient(new OperationCanceledException("The app's own query was cancelled."));

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => FakeClock.RunAsync(
            client.Time,
            client.WaitForCompletionAsync("rk", new TryOnWaitOptions { Timeout = TimeSpan.FromMinutes(5) }),
            Limit));

        Assert.Equal("The app's own query was cancelled.", error.Message);
    }

    [Fact]
    public async Task A_failure_of_an_overridden_query_gets_the_key_of_the_job_waited_for()
    {
        var client = new OverriddenQueryClient(new TryOnServiceException("The app's query failed."));

        var error = await Assert.ThrowsAsync<TryOnServiceException>(() => FakeClock.RunAsync(
            client.Time,
            client.WaitForCompletionAsync("rk-own", new TryOnWaitOptions { MaxConsecutiveFailedQueries = 0 }),
            Limit));

        Assert.Equal("rk-own", error.ResultKey);
    }

    /// <summary>A client whose query (as an app may override it) fails with <paramref name="failure"/>.</summary>
    private sealed class OverriddenQueryClient(Exception failure, ObservedFakeTimeProvider time)
        : TryOnClient(TestOptions.Create(o => o.Polling.JitterRatio = 0), new RecordingHandler(HttpStatusCode.OK, "{}"), time)
    {
        public OverriddenQueryClient(Exception failure)
            : this(failure, new ObservedFakeTimeProvider())
        {
        }

        public ObservedFakeTimeProvider Time => time;

        public override Task<TryOnJob> QueryAsync(string resultKey, CancellationToken cancellationToken = default) => Task.FromException<TryOnJob>(failure);
    }

    /// <summary>A client whose submit succeeds and whose (overridden) wait fails with an error that names no job.</summary>
    private sealed class FailingWaitClient : TryOnClient
    {
        public override Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default) =>
            Task.FromResult(new TryOnJob("rk-mock", [new TryOnTaskResult(0, TryOnTaskStatus.Waiting, [])]));

        public override Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new TryOnConnectionException("down");
    }
}
