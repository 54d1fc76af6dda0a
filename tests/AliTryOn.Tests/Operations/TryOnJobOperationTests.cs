using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Operations;

/// <summary>
/// <see cref="TryOnJobOperation"/> over a scripted service on a fake clock: its id and snapshot, one query per update,
/// the client's polling schedule, rebuilding from a key, cancellation, failures, and mocking.
/// </summary>
public class TryOnJobOperationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly ObservedFakeTimeProvider _time = new();
    private readonly DateTimeOffset _start;

    public TryOnJobOperationTests() => _start = _time.GetUtcNow();

    [Fact]
    public async Task Submitting_returns_an_operation_whose_id_is_the_result_key_with_the_submits_answer_not_completed()
    {
        var (client, transport) = Client("WAITING|WAITING");

        var operation = await client.SubmitOperationAsync([TestOptions.Task(1), TestOptions.Task(2)]);

        Assert.Equal("rk-new", operation.ResultKey);
        Assert.False(operation.HasCompleted);
        Assert.Equal([TryOnTaskStatus.Waiting, TryOnTaskStatus.Waiting], operation.Job!.Tasks.Select(t => t.Status));
        Assert.Equal("req-rk-new", operation.Job.RequestId);
        var submit = Assert.Single(transport.Requests);
        Assert.Equal(TestOptions.SubmitUrl, submit.Uri.ToString());
    }

    [Fact]
    public async Task Submitting_one_task_returns_its_operation()
    {
        var (client, _) = Client("RUNNING");

        var operation = await client.SubmitOperationAsync(TestOptions.Task());

        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(operation.Job!.Tasks).Status);
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.SubmitOperationAsync((TryOnTask)null!));
    }

    [Fact]
    public async Task Each_update_makes_one_query_for_the_key_and_moves_the_snapshot()
    {
        var (client, transport) = Client("WAITING", "RUNNING", "SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());

        var running = await operation.UpdateStatusAsync();

        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal(TestOptions.QueryUrl, transport.Requests[1].Uri.ToString());
        Assert.Equal("""{"data":{"result_key":"rk-new"}}""", transport.Requests[1].Body);
        Assert.Same(running, operation.Job);
        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(running.Tasks).Status);
        Assert.False(operation.HasCompleted);

        var done = await operation.UpdateStatusAsync();

        Assert.Equal(3, transport.Requests.Count);
        Assert.Same(done, operation.Job);
        Assert.True(operation.HasCompleted);
        Assert.Equal(2, done.ResultUrls.Count);
    }

    [Fact]
    public async Task An_update_after_completion_still_queries_for_fresh_result_links()
    {
        var (client, transport) = Client("SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        Assert.True(operation.HasCompleted);

        var again = await operation.UpdateStatusAsync();

        Assert.Equal(2, transport.Requests.Count);
        Assert.Same(again, operation.Job);
        Assert.True(operation.HasCompleted);
    }

    [Fact]
    public async Task Waiting_polls_on_the_clients_schedule_until_every_task_has_finished()
    {
        var (client, transport) = Client("WAITING", "WAITING", "RUNNING", "RUNNING", "RUNNING", "SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());

        var job = await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);

        Assert.True(operation.HasCompleted);
        Assert.Same(job, operation.Job);
        Assert.Equal(TryOnTaskStatus.Succeeded, Assert.Single(job.Tasks).Status);
        // The client's schedule: short waits query every InitialDelay (1 s).
        Assert.Equal([1, 2, 3, 4, 5], QueryTimes(transport));
    }

    [Fact]
    public async Task Waiting_uses_the_clients_polling_options()
    {
        var (client, transport) = Client(o => o.Polling.InitialDelay = TimeSpan.FromSeconds(4), "WAITING", "RUNNING", "SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());

        await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);

        Assert.Equal([4, 8], QueryTimes(transport));
    }

    [Fact]
    public async Task A_completed_operation_returns_its_job_without_a_query()
    {
        var (client, transport) = Client("WAITING", "SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        var first = await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);
        var requests = transport.Requests.Count;

        var second = await operation.WaitForCompletionAsync();

        Assert.Same(first, second);
        Assert.Equal(requests, transport.Requests.Count);
    }

    [Theory]
    [InlineData("SUCCESS|FAILED", false)]
    [InlineData("SUCCESS|SUCCESS", true)]
    public async Task A_job_the_submit_saw_completed_is_returned_without_a_query(string statuses, bool throwOnFailedTasks)
    {
        var (client, transport) = Client(statuses);
        var operation = await client.SubmitOperationAsync([TestOptions.Task(1), TestOptions.Task(2)]);

        var job = await operation.WaitForCompletionAsync(new TryOnWaitOptions { ThrowOnFailedTasks = throwOnFailedTasks });

        Assert.Same(operation.Job, job);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_job_completed_with_failed_tasks_completes_the_operation_with_its_outcomes()
    {
        var (client, _) = Client("WAITING", "SUCCESS|FAILED");
        var operation = await client.SubmitOperationAsync([TestOptions.Task(1), TestOptions.Task(2)]);

        var job = await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);

        Assert.True(operation.HasCompleted);
        Assert.Equal(0, Assert.Single(job.SucceededTasks).Index);
        Assert.Equal(1, Assert.Single(job.FailedTasks).Index);
    }

    [Fact]
    public async Task A_job_the_service_says_failed_as_a_whole_throws_with_no_job_and_the_operation_keeps_its_last_snapshot()
    {
        var transport = Answers.InOrder(_time, Answers.Job("rk-failed", "WAITING"), Answers.Error(HttpStatusCode.InternalServerError, "23500011", "Job execution failed"));
        var client = new TryOnClient(TestOptions.Create(), transport, _time);
        var operation = await client.SubmitOperationAsync([TestOptions.Task(1)]);
        var submitted = operation.Job;

        var error = await Assert.ThrowsAsync<TryOnJobFailedException>(() => FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit));

        Assert.Equal("23500011", error.ErrorCode);
        Assert.Equal("rk-failed", error.ResultKey);
        Assert.Null(error.Job);
        Assert.Same(submitted, operation.Job);
        Assert.False(operation.HasCompleted);
        Assert.Equal(2, transport.Requests.Count); // the submit and one query: a failed job is not queried again

        await Assert.ThrowsAsync<TryOnJobFailedException>(() => FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit));
        Assert.Equal(3, transport.Requests.Count);
    }

    [Fact]
    public async Task Failed_tasks_throw_when_the_caller_asks_even_after_the_submit_saw_them_from_the_snapshot_without_a_query()
    {
        var (client, transport) = Client("SUCCESS|FAILED");
        var operation = await client.SubmitOperationAsync([TestOptions.Task(1), TestOptions.Task(2)]);
        Assert.True(operation.HasCompleted);

        var error = await Assert.ThrowsAsync<TryOnJobFailedException>(() => operation.WaitForCompletionAsync(new TryOnWaitOptions { ThrowOnFailedTasks = true }));

        Assert.Equal("Try-on job 'rk-new' completed with 1 of 2 tasks failed.", error.Message);
        Assert.Equal("rk-new", error.ResultKey);
        Assert.Same(error.Job, operation.Job);
        Assert.True(operation.HasCompleted);
        Assert.Single(transport.Requests); // the submit: a completed operation does not query to wait
    }

    [Fact]
    public async Task Submit_and_wait_throws_for_failed_tasks_the_submit_already_saw_without_a_query()
    {
        var (client, transport) = Client("SUCCESS|FAILED");

        var error = await Assert.ThrowsAsync<TryOnJobFailedException>(() => FakeClock.RunAsync(
            _time, client.SubmitAndWaitAsync([TestOptions.Task(1), TestOptions.Task(2)], new TryOnWaitOptions { ThrowOnFailedTasks = true }), Limit));

        Assert.Equal("Try-on job 'rk-new' completed with 1 of 2 tasks failed.", error.Message);
        Assert.Equal("rk-new", error.ResultKey);
        Assert.Equal([TryOnTaskStatus.Succeeded, TryOnTaskStatus.Failed], error.Job!.Tasks.Select(t => t.Status));
        Assert.Single(transport.Requests); // the submit's answer is final: nothing to query
    }

    [Theory]
    [InlineData("SUCCESS|FAILED", false)] // failed tasks, returned as asked
    [InlineData("SUCCESS|SUCCESS", true)] // told to throw, and nothing failed
    public async Task Submit_and_wait_returns_a_submit_answered_final_without_a_query_when_there_is_nothing_to_throw(string statuses, bool throwOnFailedTasks)
    {
        var (client, transport) = Client(statuses);

        var job = await FakeClock.RunAsync(
            _time, client.SubmitAndWaitAsync([TestOptions.Task(1), TestOptions.Task(2)], new TryOnWaitOptions { ThrowOnFailedTasks = throwOnFailedTasks }), Limit);

        Assert.Equal(statuses.Split('|'), job.Tasks.Select(t => t.Status.Value));
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task An_update_whose_answer_has_links_it_cannot_use_still_makes_the_job_as_read_the_snapshot()
    {
        var (operation, transport) = await SubmittedThenUnusableLinksAsync();

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => operation.UpdateStatusAsync());

        Assert.Same(error.Job, operation.Job);
        Assert.True(operation.HasCompleted);
        Assert.Equal("rk-new", error.ResultKey);
        await operation.WaitForCompletionAsync(); // completed: no query
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task An_operation_rebuilt_from_a_key_alone_in_a_fresh_client_sends_nothing_until_asked_then_waits()
    {
        var (fresh, transport) = Client("RUNNING", "SUCCESS");

        var operation = new TryOnJobOperation(fresh, "rk-from-another-process");

        Assert.Equal("rk-from-another-process", operation.ResultKey);
        Assert.Null(operation.Job);
        Assert.False(operation.HasCompleted);
        Assert.Empty(transport.Requests);

        var job = await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);

        Assert.Equal("rk-from-another-process", job.ResultKey);
        Assert.True(operation.HasCompleted);
        Assert.All(transport.Requests, r => Assert.Equal("""{"data":{"result_key":"rk-from-another-process"}}""", r.Body));
        Assert.Equal([1, 2], QueryTimes(transport));
    }

    [Fact]
    public void Rebuilding_refuses_a_missing_client_or_key()
    {
        var (client, transport) = Client("RUNNING");

        Assert.Equal("client", Assert.Throws<ArgumentNullException>(() => new TryOnJobOperation(null!, "rk")).ParamName);
        Assert.Equal("resultKey", Assert.Throws<ArgumentNullException>(() => new TryOnJobOperation(client, null!)).ParamName);
        Assert.Equal("resultKey", Assert.ThrowsAny<ArgumentException>(() => new TryOnJobOperation(client, " ")).ParamName);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_a_wait_ends_it_between_queries_and_the_operation_can_wait_again()
    {
        var (client, transport) = Client("WAITING", "RUNNING", "RUNNING", "SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        using var cancellation = new CancellationTokenSource();

        var wait = operation.WaitForCompletionAsync(cancellationToken: cancellation.Token);
        FakeClock.Advance(_time, TimeSpan.FromSeconds(1.2)); // the first query answered, the wait on its next delay
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(2, transport.Requests.Count);
        Assert.False(operation.HasCompleted);
        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(operation.Job!.Tasks).Status); // the snapshot the wait saw

        var job = await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);

        Assert.True(job.HasCompleted);
        Assert.True(operation.HasCompleted);
    }

    [Fact]
    public async Task A_cancelled_update_leaves_the_snapshot_as_it_was()
    {
        var (client, _) = Client("WAITING");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        var before = operation.Job;
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => operation.UpdateStatusAsync(cancellation.Token));

        Assert.Same(before, operation.Job);
    }

    [Fact]
    public async Task A_wait_that_times_out_leaves_its_last_snapshot_on_the_operation()
    {
        var (client, _) = Client("WAITING", "RUNNING");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());

        var error = await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() =>
            FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(new TryOnWaitOptions { Timeout = TimeSpan.FromSeconds(3) }), Limit));

        Assert.Equal("rk-new", error.ResultKey);
        Assert.Same(error.LastJob, operation.Job);
        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(operation.Job!.Tasks).Status);
        Assert.False(operation.HasCompleted);
    }

    [Fact]
    public async Task An_unknown_key_fails_an_update_with_the_typed_error_naming_the_key()
    {
        var (operation, transport) = UnknownKeyOperation();

        var error = await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => operation.UpdateStatusAsync());

        Assert.Equal("rk-unknown", error.ResultKey);
        Assert.Equal("23500008", error.ErrorCode);
        Assert.Null(operation.Job);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task An_unknown_key_ends_a_wait_with_the_typed_error_after_the_failures_the_client_tolerates()
    {
        var (operation, transport) = UnknownKeyOperation();

        var error = await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit));

        Assert.Equal("rk-unknown", error.ResultKey);
        Assert.Equal(TryOnPollingOptions.DefaultMaxConsecutiveFailedQueries + 1, transport.Requests.Count);
        Assert.Null(operation.Job);
        Assert.False(operation.HasCompleted);
    }

    [Fact]
    public async Task A_wait_shows_its_progress_on_the_operation_and_ending_in_an_error_leaves_the_last_snapshot_seen()
    {
        // Submit WAITING, then RUNNING, then the service no longer knows the job.
        var transport = new RecordingHandler((request, index) => index switch
        {
            0 => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-new", ["WAITING"])),
            1 => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-new", ["RUNNING"])),
            _ => RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500008", "No records found")),
        })
        { Clock = _time };
        var operation = await new TryOnClient(TestOptions.Create(NoJitter), transport, _time).SubmitOperationAsync(TestOptions.Task());
        var seenByCaller = new List<TryOnTaskStatus>();
        var progress = new SynchronousProgress(job =>
        {
            Assert.Same(job, operation.Job); // the operation is updated before the caller hears of it
            seenByCaller.Add(job.Tasks[0].Status);
        });

        await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(new TryOnWaitOptions { Progress = progress }), Limit));

        Assert.Equal([TryOnTaskStatus.Running], seenByCaller);
        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(operation.Job!.Tasks).Status);
        Assert.False(operation.HasCompleted);
    }

    [Fact]
    public async Task A_wait_ended_by_links_it_cannot_use_leaves_the_job_as_read_on_the_operation()
    {
        var (operation, transport) = await SubmittedThenUnusableLinksAsync();

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit));

        Assert.Same(error.Job, operation.Job);
        Assert.True(operation.HasCompleted);
        Assert.Equal([new Uri("https://r.test/1.png")], Assert.Single(operation.Job!.Tasks).ResultUrls);
    }

    [Fact]
    public async Task Invalid_wait_settings_are_refused_before_any_query_even_once_completed()
    {
        var (client, transport) = Client("SUCCESS");
        var operation = await client.SubmitOperationAsync(TestOptions.Task());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => operation.WaitForCompletionAsync(new TryOnWaitOptions { Timeout = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => operation.WaitForCompletionAsync(new TryOnWaitOptions { MaxConsecutiveFailedQueries = -1 }));
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_late_answer_of_a_running_job_never_takes_a_completed_operation_back()
    {
        var client = new ControlledQueryClient();
        var operation = new TryOnJobOperation(client, "rk");

        var early = operation.UpdateStatusAsync();
        var late = operation.UpdateStatusAsync();
        client.Answer(1, Job("rk", TryOnTaskStatus.Succeeded));
        var done = await late;
        client.Answer(0, Job("rk", TryOnTaskStatus.Running));
        var stale = await early;

        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(stale.Tasks).Status); // each call returns its own answer
        Assert.Same(done, operation.Job);
        Assert.True(operation.HasCompleted);
    }

    [Fact]
    public async Task An_operation_queries_through_a_client_that_overrides_its_methods()
    {
        var client = new ScriptedClient(TryOnTaskStatus.Waiting, TryOnTaskStatus.Succeeded);

        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        var done = await operation.WaitForCompletionAsync();

        Assert.Equal("rk-mock", operation.ResultKey);
        Assert.Equal(TryOnTaskStatus.Succeeded, Assert.Single(done.Tasks).Status);
        Assert.Same(done, operation.Job); // an overridden wait reports no progress: its answer is the snapshot
        Assert.True(operation.HasCompleted);
        Assert.Equal(["submit", "wait rk-mock"], client.Calls);

        await operation.UpdateStatusAsync();
        Assert.Equal(["submit", "wait rk-mock", "query rk-mock"], client.Calls);
    }

    [Theory]
    [InlineData("timed out")]
    [InlineData("failed tasks")]
    [InlineData("unusable links")]
    public async Task The_job_an_overridden_waits_error_carries_becomes_the_snapshot(string failure)
    {
        var seen = Job("rk-mock", failure == "timed out" ? TryOnTaskStatus.Running : TryOnTaskStatus.Failed);
        TryOnException error = failure switch
        {
            "timed out" => new TryOnWaitTimeoutException("rk-mock", TimeSpan.FromMinutes(1), seen),
            "failed tasks" => new TryOnJobFailedException("failed") { Job = seen },
            _ => new TryOnInvalidResponseException("unusable links") { Job = seen },
        };
        var operation = new TryOnJobOperation(new FailingWaitClient(error), "rk-mock");

        Assert.Same(error, await Assert.ThrowsAnyAsync<TryOnException>(() => operation.WaitForCompletionAsync()));

        Assert.Same(seen, operation.Job);
        Assert.Equal("rk-mock", error.ResultKey);
    }

    [Fact]
    public async Task A_failure_of_an_overridden_query_gets_the_key_of_the_operation()
    {
        var operation = new TryOnJobOperation(new FailingQueryClient(), "rk-own");

        var error = await Assert.ThrowsAsync<TryOnServiceException>(() => operation.UpdateStatusAsync());

        Assert.Equal("rk-own", error.ResultKey);
    }

    [Fact]
    public async Task The_operation_can_be_mocked_and_returned_by_a_mocked_client()
    {
        TryOnClient client = new OperationClient(new FakeOperation());

        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        var job = await operation.WaitForCompletionAsync();

        Assert.Equal("fake", operation.ResultKey);
        Assert.True(operation.HasCompleted);
        Assert.Same(job, operation.Job);
    }

    [Fact]
    public async Task Members_not_overridden_on_a_mock_explain_themselves()
    {
        TryOnJobOperation operation = new BareOperation();

        Assert.Contains("mocking", Assert.Throws<InvalidOperationException>(() => operation.ResultKey).Message, StringComparison.Ordinal);
        Assert.Contains("mocking", (await Assert.ThrowsAsync<InvalidOperationException>(() => operation.UpdateStatusAsync())).Message, StringComparison.Ordinal);
        Assert.Contains("mocking", (await Assert.ThrowsAsync<InvalidOperationException>(() => operation.WaitForCompletionAsync())).Message, StringComparison.Ordinal);
        Assert.Null(operation.Job);
        Assert.False(operation.HasCompleted);
    }

    private static void NoJitter(TryOnClientOptions options) => options.Polling.JitterRatio = 0;

    private static TryOnJob Job(string resultKey, TryOnTaskStatus status) =>
        new(resultKey, [new TryOnTaskResult(0, status, status == TryOnTaskStatus.Succeeded ? [new Uri("https://r.test/1.png")] : [])]);

    private (TryOnClient Client, RecordingHandler Transport) Client(params string[] script) => Client(_ => { }, script);

    /// <summary>
    /// A client (no jitter) whose answers follow <paramref name="script"/>, the submit's first: each entry the statuses
    /// of the tasks split by |, the last repeating. Every answer is of job <c>rk-new</c>, or of the key queried.
    /// </summary>
    private (TryOnClient Client, RecordingHandler Transport) Client(Action<TryOnClientOptions> configure, params string[] script)
    {
        var transport = new RecordingHandler((request, index) =>
        {
            var key = request.QueriedKey ?? "rk-new";
            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job(key, script[Math.Min(index, script.Length - 1)].Split('|')));
        })
        { Clock = _time };
        return (new TryOnClient(TestOptions.Create(o => { NoJitter(o); configure(o); }), transport, _time), transport);
    }

    /// <summary>An operation submitted RUNNING, whose queries answer SUCCESS with one link that cannot be downloaded (ftp) and one that can.</summary>
    private async Task<(TryOnJobOperation Operation, RecordingHandler Transport)> SubmittedThenUnusableLinksAsync()
    {
        var transport = new RecordingHandler((request, index) => index == 0
            ? RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-new", ["RUNNING"]))
            : RecordingHandler.Response(HttpStatusCode.OK, """{"code":0,"data":{"result_key":"rk-new","task_list":[{"status":"SUCCESS","results":["ftp://r.test/0.png","https://r.test/1.png"]}]},"message":"success","requestId":"req-rk-new","severity":"info","success":true}"""))
        { Clock = _time };
        return (await new TryOnClient(TestOptions.Create(NoJitter), transport, _time).SubmitOperationAsync(TestOptions.Task()), transport);
    }

    /// <summary>An operation rebuilt from key <c>rk-unknown</c>, which the service answers with "no such job" (23500008).</summary>
    private (TryOnJobOperation Operation, RecordingHandler Transport) UnknownKeyOperation()
    {
        var transport = new RecordingHandler(HttpStatusCode.BadRequest, Json.Error("23500008", "No records found")) { Clock = _time };
        return (new TryOnJobOperation(new TryOnClient(TestOptions.Create(NoJitter), transport, _time), "rk-unknown"), transport);
    }

    /// <summary>The fake time of each query since the test began, in seconds.</summary>
    private IEnumerable<double> QueryTimes(RecordingHandler transport) =>
        transport.Requests.Where(r => r.Uri.ToString() == TestOptions.QueryUrl).Select(r => (r.At - _start).TotalSeconds);

    [Fact]
    public async Task A_job_completed_with_fewer_tasks_than_were_submitted_is_not_returned_as_complete()
    {
        // Every answer, the submit's included, has one finished task for the two submitted.
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("few", "SUCCESS"));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var waited = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.SubmitAndWaitAsync([TestOptions.Task(0), TestOptions.Task(1)]));
        var operation = await client.SubmitOperationAsync(new List<TryOnTask> { TestOptions.Task(0), TestOptions.Task(1) });
        var fromOperation = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => operation.WaitForCompletionAsync());

        foreach (var error in new[] { waited, fromOperation })
        {
            Assert.Equal("Try-on job 'few' completed without task 1 of the 2 submitted: the service answered nothing of it, whose outcome is not known.", error.Message);
            Assert.Equal("few", error.ResultKey);
            Assert.Single(error.Job!.Tasks);
        }

        Assert.Equal(2, transport.Requests.Count); // the two submits: a job answered complete is not queried
        Assert.Single((await new TryOnJobOperation(client, "few").UpdateStatusAsync()).Tasks); // rebuilt, it cannot know
        var whole = await client.SubmitOperationAsync(TestOptions.Task(0));
        Assert.Single((await whole.WaitForCompletionAsync()).Tasks);
    }

    [Fact]
    public async Task A_job_answering_one_task_twice_for_two_submitted_is_missing_the_other()
    {
        // Two tasks answered, both at index 0: the count is right, task 1 is not there.
        var job = new TryOnJob("dup", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri("https://r.test/a.png")]), new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri("https://r.test/b.png")])]);
        var client = new SubmittingClient(job);

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.SubmitAndWaitAsync([TestOptions.Task(0), TestOptions.Task(1)]));

        Assert.Equal("Try-on job 'dup' completed without task 1 of the 2 submitted: the service answered nothing of it, whose outcome is not known.", error.Message);
        Assert.Same(job, error.Job);
    }

    [Fact]
    public async Task A_job_missing_several_of_its_tasks_names_them_all()
    {
        var job = new TryOnJob("some", [new TryOnTaskResult(1, TryOnTaskStatus.Succeeded, [new Uri("https://r.test/a.png")])]);
        var client = new SubmittingClient(job);

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.SubmitAndWaitAsync([TestOptions.Task(0), TestOptions.Task(1), TestOptions.Task(2)]));

        Assert.Equal("Try-on job 'some' completed without tasks 0, 2 of the 3 submitted: the service answered nothing of them, whose outcome is not known.", error.Message);
    }

    /// <summary>A client whose submit answers <paramref name="job"/>, already complete.</summary>
    private sealed class SubmittingClient(TryOnJob job) : TryOnClient
    {
        public override Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default) => Task.FromResult(job);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_job_that_completes_during_the_wait_with_fewer_tasks_than_were_submitted_is_an_error_whatever_the_options(bool throwOnFailedTasks)
    {
        // The submit answers both tasks waiting; the queries then answer one task, failed.
        var transport = new RecordingHandler((request, _) => RecordingHandler.Response(HttpStatusCode.OK, request.Uri.ToString() == TestOptions.QueryUrl ? Json.Job("few", "FAILED") : Json.Job("few", "WAITING", "WAITING"))) { Clock = _time };
        var client = new TryOnClient(TestOptions.Create(NoJitter), transport, _time);

        var wait = client.SubmitAndWaitAsync([TestOptions.Task(0), TestOptions.Task(1)], new TryOnWaitOptions { ThrowOnFailedTasks = throwOnFailedTasks });
        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => FakeClock.RunAsync(_time, wait, TimeSpan.FromMinutes(1)));

        Assert.StartsWith("Try-on job 'few' completed without task 1 of the 2 submitted", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Job!.Tasks);
        Assert.Contains(transport.Requests, r => r.Uri.ToString() == TestOptions.QueryUrl);
    }

    /// <summary>A user's test double of the client: submit, query and wait overridden, each call recorded.</summary>
    private sealed class ScriptedClient(params TryOnTaskStatus[] statuses) : TryOnClient
    {
        public List<string> Calls { get; } = [];

        public override Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
        {
            Calls.Add("submit");
            return Task.FromResult(Job("rk-mock", statuses[0]));
        }

        public override Task<TryOnJob> QueryAsync(string resultKey, CancellationToken cancellationToken = default)
        {
            Calls.Add("query " + resultKey);
            return Task.FromResult(Job(resultKey, statuses[^1]));
        }

        public override Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add("wait " + resultKey);
            return Task.FromResult(Job(resultKey, statuses[^1]));
        }
    }

    /// <summary>A client whose (overridden) wait fails with <paramref name="error"/>, reporting no progress.</summary>
    private sealed class FailingWaitClient(TryOnException error) : TryOnClient
    {
        public override Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromException<TryOnJob>(error);
    }

    /// <summary>A client whose (overridden) query fails with an error that names no job.</summary>
    private sealed class FailingQueryClient : TryOnClient
    {
        public override Task<TryOnJob> QueryAsync(string resultKey, CancellationToken cancellationToken = default) =>
            Task.FromException<TryOnJob>(new TryOnServiceException("The app's query failed."));
    }

    /// <summary>A client whose queries are answered, in any order, when the test says.</summary>
    private sealed class ControlledQueryClient : TryOnClient
    {
        private readonly List<TaskCompletionSource<TryOnJob>> _queries = [];

        public void Answer(int query, TryOnJob job) => _queries[query].SetResult(job);

        public override Task<TryOnJob> QueryAsync(string resultKey, CancellationToken cancellationToken = default)
        {
            var answer = new TaskCompletionSource<TryOnJob>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queries.Add(answer);
            return answer.Task;
        }
    }

    /// <summary>A user's test double of an operation, through the protected constructor.</summary>
    private sealed class FakeOperation : TryOnJobOperation
    {
        private TryOnJob? _job;

        public override string ResultKey => "fake";

        public override TryOnJob? Job => _job;

        public override Task<TryOnJob> WaitForCompletionAsync(TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(_job = TryOnJobOperationTests.Job("fake", TryOnTaskStatus.Succeeded));
    }

    /// <summary>A mocked client that returns the operation given.</summary>
    private sealed class OperationClient(TryOnJobOperation operation) : TryOnClient
    {
        public override Task<TryOnJobOperation> SubmitOperationAsync(TryOnTask task, CancellationToken cancellationToken = default) => Task.FromResult(operation);
    }

    /// <summary>A mock that overrides nothing.</summary>
    private sealed class BareOperation : TryOnJobOperation;
}
