using System.Collections.Concurrent;
using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Bulk;

/// <summary>
/// The bulk runner's handling of each way a batch can end, on a client whose submit and wait are scripted (the
/// emulator tests in AliTryOn.Testing.Tests cover whole runs against the service's behaviour).
/// </summary>
public class BulkRunnerTests
{
    private static readonly TryOnTask[] Inputs = [.. Enumerable.Range(0, 12).Select(i => TestOptions.Task(i))];

    [Fact]
    public async Task A_submit_whose_unreadable_answer_named_its_job_is_reported_with_the_key_and_waited_for()
    {
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => throw new TryOnSubmitOutcomeUnknownException("unreadable") { ResultKey = "rk-named" },
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS", "SUCCESS")),
        };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..2], Reporting(reported)));

        Assert.Equal([0, 1], outcomes.Select(o => o.InputIndex).Order());
        Assert.All(outcomes, o => Assert.Equal((TryOnBulkStatus.Succeeded, "rk-named", o.InputIndex), (o.Status, o.ResultKey, o.TaskIndex!.Value)));
        Assert.Equal(["rk-named"], client.Waited);
        var batch = Assert.Single(reported);
        Assert.Equal("rk-named", batch.ResultKey);
        Assert.Equal([0, 1], batch.InputIndices);
    }

    [Theory]
    [InlineData("the job failed (HTTP 500, 23500011)", null)]
    [InlineData("a code the client does not know, on HTTP 200, naming a job", "rk-named")]
    public async Task A_batch_whose_submit_answer_leaves_a_job_possible_is_never_reported_as_not_submitted(string answer, string? resultKey)
    {
        var transport = new RecordingHandler((request, _) => request.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal)
            ? resultKey is null
                ? RecordingHandler.Response(HttpStatusCode.InternalServerError, Json.Error("23500011", "Job execution failed"))
                : RecordingHandler.Response(HttpStatusCode.OK, $$$"""{"code":"23599999","success":false,"message":"new","data":{"result_key":"{{{resultKey}}}"}}""")
            : RecordingHandler.Response(HttpStatusCode.OK, Json.Job(resultKey!, "SUCCESS")));
        var client = new TryOnClient(TestOptions.Create(), transport);
        var notSubmitted = new ConcurrentQueue<TryOnBulkBatch>();
        var submitted = new ConcurrentQueue<TryOnBulkBatch>();

        var outcome = Assert.Single(await CollectAsync(client.RunBulkAsync(Inputs[..1], new TryOnBulkOptions
        {
            OnBatchSubmitted = (batch, _) => { submitted.Enqueue(batch); return Task.CompletedTask; },
            OnBatchNotSubmitted = (batch, _) => { notSubmitted.Enqueue(batch); return Task.CompletedTask; },
        })));

        Assert.True(notSubmitted.IsEmpty, answer); // a resumed run must not submit, and bill, it again
        Assert.Equal(resultKey, Assert.Single(submitted).ResultKey);
        Assert.Equal(resultKey is null ? TryOnBulkStatus.OutcomeUnknown : TryOnBulkStatus.Succeeded, outcome.Status);
        Assert.Single(transport.Requests, r => r.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exception_from_the_callback_stops_the_run_and_reaches_the_caller()
    {
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk", "WAITING")),
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS")),
        };
        var failure = new IOException("the store is full");
        var options = new TryOnBulkOptions { BatchSize = 1, OnBatchSubmitted = (_, _) => throw failure };

        var thrown = await Assert.ThrowsAsync<IOException>(() => CollectAsync(client.RunBulkAsync(Inputs[..3], options)));

        Assert.Same(failure, thrown);
    }

    [Fact]
    public async Task Resumed_batches_are_waited_for_or_reported_unknown_and_never_submitted_again()
    {
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => Task.FromResult(Job("rk-new", [.. tasks.Select(_ => "WAITING")])),
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS", "SUCCESS", "SUCCESS")),
        };
        var options = new TryOnBulkOptions
        {
            SubmittedBatches = [new TryOnBulkBatch("rk-old", [4, 0, 7]), new TryOnBulkBatch(null, [1, 2])],
        };

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..8], options));

        Assert.Equal(Enumerable.Range(0, 8), outcomes.Select(o => o.InputIndex).Order());
        var resumed = outcomes.Where(o => o.ResultKey == "rk-old").OrderBy(o => o.TaskIndex).ToArray();
        Assert.Equal([4, 0, 7], resumed.Select(o => o.InputIndex));
        Assert.All(resumed, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        var unknown = outcomes.Where(o => o.InputIndex is 1 or 2).ToArray();
        Assert.All(unknown, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.All(unknown, o => Assert.IsType<TryOnSubmitOutcomeUnknownException>(o.Error));
        Assert.All(unknown, o => Assert.Null(o.ResultKey));
        Assert.Equal([[3, 5, 6]], client.Submitted.Select(b => b.Select(t => Array.IndexOf(Inputs, t)).ToArray()));
        Assert.Equal(["rk-new", "rk-old"], client.Waited.Order());
    }

    [Fact]
    public async Task A_completed_job_missing_a_task_gives_that_input_an_unknown_outcome()
    {
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk", "WAITING", "WAITING", "WAITING")),
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS", "FAILED")),
        };

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..3]));

        Assert.Equal(TryOnBulkStatus.Succeeded, outcomes.Single(o => o.InputIndex == 0).Status);
        var failed = outcomes.Single(o => o.InputIndex == 1);
        Assert.Equal(TryOnBulkStatus.Failed, failed.Status);
        Assert.Equal("rk", Assert.IsType<TryOnJobFailedException>(failed.Error).Job!.ResultKey);
        var missing = outcomes.Single(o => o.InputIndex == 2);
        Assert.Equal(TryOnBulkStatus.OutcomeUnknown, missing.Status);
        Assert.Equal(("rk", 2), (missing.ResultKey, missing.TaskIndex));
        Assert.Contains("without a task 2", missing.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_wait_gets_the_run_s_wait_settings_but_never_throws_for_failed_tasks()
    {
        var progress = new Progress<TryOnJob>();
        var seen = new ConcurrentQueue<TryOnWaitOptions?>();
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk", "WAITING")),
            Wait = (key, options, _) =>
            {
                seen.Enqueue(options);
                return Task.FromResult(Job(key, "FAILED"));
            },
        };
        var wait = new TryOnWaitOptions { Timeout = TimeSpan.FromMinutes(3), Progress = progress, ThrowOnFailedTasks = true };

        var outcome = Assert.Single(await CollectAsync(client.RunBulkAsync(Inputs[..1], new TryOnBulkOptions { Wait = wait })));

        Assert.Equal(TryOnBulkStatus.Failed, outcome.Status);
        var used = Assert.Single(seen)!;
        Assert.Equal((TimeSpan.FromMinutes(3), progress, false), (used.Timeout!.Value, used.Progress, used.ThrowOnFailedTasks));
    }

    [Fact]
    public async Task An_unexpected_submit_failure_is_an_unknown_outcome_reported_without_a_key()
    {
        var client = new ScriptedClient { Submit = (_, _) => throw new InvalidOperationException("a bug somewhere") };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..2], Reporting(reported)));

        Assert.Equal([0, 1], outcomes.Select(o => o.InputIndex).Order());
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.All(outcomes, o => Assert.IsType<InvalidOperationException>(o.Error));
        Assert.All(outcomes, o => Assert.Null(o.ResultKey));
        Assert.Empty(client.Waited);
        var batch = Assert.Single(reported);
        Assert.Null(batch.ResultKey);
        Assert.Equal([0, 1], batch.InputIndices);
    }

    [Fact]
    public async Task Cancelling_during_a_submit_reports_its_batch_without_a_key_so_a_resumed_run_never_resubmits_it()
    {
        using var cancellation = new CancellationTokenSource();
        var submitting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new ScriptedClient
        {
            Submit = async (_, token) =>
            {
                submitting.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("unreachable");
            },
        };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();

        var run = CollectAsync(client.RunBulkAsync(Inputs[..4], Reporting(reported) with { BatchSize = 2, MaxConcurrentBatches = 1 }, cancellation.Token));
        await submitting.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var batch = Assert.Single(reported);
        Assert.Null(batch.ResultKey);
        Assert.Equal([0, 1], batch.InputIndices);
        Assert.Single(client.Submitted);
    }

    [Fact]
    public async Task Leaving_the_enumeration_early_stops_the_batches_still_running()
    {
        var waitCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => Task.FromResult(Job(tasks.Count == 1 && tasks[0] == Inputs[0] ? "rk-fast" : "rk-slow", "WAITING")),
            Wait = async (key, _, token) =>
            {
                if (key == "rk-fast")
                {
                    return Job(key, "SUCCESS");
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    waitCancelled.TrySetResult();
                    throw;
                }

                throw new InvalidOperationException("unreachable");
            },
        };

        await foreach (var outcome in client.RunBulkAsync(Inputs[..2], new TryOnBulkOptions { BatchSize = 1 }))
        {
            Assert.Equal(0, outcome.InputIndex);
            break;
        }

        await waitCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_job_created_as_the_run_is_cancelled_is_still_recorded_with_a_token_that_is_not_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var client = new ScriptedClient
        {
            // The answer arrives just as the run is cancelled (Ctrl+C): the job exists.
            Submit = (_, _) =>
            {
                cancellation.Cancel();
                return Task.FromResult(Job("rk-made", "WAITING"));
            },
            Wait = async (key, _, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("unreachable");
            },
        };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();
        var options = new TryOnBulkOptions
        {
            // Like a store that honours the token it is given (the CLI's file write does).
            OnBatchSubmitted = async (batch, token) =>
            {
                token.ThrowIfCancellationRequested();
                await Task.Yield();
                reported.Enqueue(batch);
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(client.RunBulkAsync(Inputs[..2], options, cancellation.Token)));

        Assert.Equal("rk-made", Assert.Single(reported).ResultKey);
    }

    [Fact]
    public async Task A_job_created_while_the_consumer_leaves_the_run_is_recorded_before_the_run_ends()
    {
        var client = new ScriptedClient
        {
            Submit = async (tasks, token) =>
            {
                if (tasks[0] == Inputs[0])
                {
                    return Job("rk-fast", "SUCCESS");
                }

                // The second answer comes back just as the consumer stops the run.
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                }

                return Job("rk-late", "WAITING");
            },
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS")),
        };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();
        var options = new TryOnBulkOptions
        {
            BatchSize = 1,
            OnBatchSubmitted = async (batch, token) =>
            {
                await Task.Delay(1, token);
                reported.Enqueue(batch);
            },
        };

        await foreach (var outcome in client.RunBulkAsync(Inputs[..2], options))
        {
            Assert.Equal(0, outcome.InputIndex);
            break;
        }

        Assert.Equal(["rk-fast", "rk-late"], reported.Select(b => b.ResultKey).Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_cancelled_before_it_was_sent_is_not_recorded_and_one_cancelled_after_is(bool mayHaveCreatedJob)
    {
        using var cancellation = new CancellationTokenSource();
        var client = new ScriptedClient
        {
            Submit = (_, token) =>
            {
                cancellation.Cancel();
                throw new TryOnSubmitCanceledException("cancelled", mayHaveCreatedJob, token);
            },
        };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(client.RunBulkAsync(Inputs[..2], Reporting(reported), cancellation.Token)));

        Assert.Equal(mayHaveCreatedJob ? 1 : 0, reported.Count);
        Assert.All(reported, b => Assert.Null(b.ResultKey));
        // The run's cancellation: what one batch's submit knew says nothing of the run's other batches.
        Assert.IsNotType<TryOnSubmitCanceledException>(error);
        Assert.True(error.CancellationToken.IsCancellationRequested);
        Assert.Equal("The bulk run was cancelled; batches that may have created a job were reported to OnBatchSubmitted.", error.Message);
    }

    [Fact]
    public async Task A_submit_whose_outcome_is_unknown_without_a_key_is_recorded_and_its_tasks_end_unknown_without_a_wait()
    {
        var unknown = new TryOnSubmitOutcomeUnknownException("The submit lost its connection after the request was sent.");
        var client = new ScriptedClient { Submit = (_, _) => Task.FromException<TryOnJob>(unknown) };
        var reported = new ConcurrentQueue<TryOnBulkBatch>();

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..3], Reporting(reported)));

        Assert.All(outcomes, o => Assert.Equal((TryOnBulkStatus.OutcomeUnknown, (Exception?)unknown, (string?)null), (o.Status, o.Error, o.ResultKey)));
        Assert.Equal([0, 1, 2], outcomes.Select(o => o.InputIndex).Order());
        var batch = Assert.Single(reported);
        Assert.Null(batch.ResultKey);
        Assert.Equal([0, 1, 2], batch.InputIndices);
        Assert.Empty(client.Waited);
    }

    [Fact]
    public async Task A_resumed_batch_of_a_whole_job_s_ten_tasks_is_waited_for()
    {
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => Task.FromResult(Job("rk-new", [.. tasks.Select(_ => "WAITING")])),
            Wait = (key, _, _) => Task.FromResult(Job(key, [.. Enumerable.Repeat("SUCCESS", key == "rk-ten" ? 10 : 2)])),
        };
        var options = new TryOnBulkOptions { SubmittedBatches = [new TryOnBulkBatch("rk-ten", [.. Enumerable.Range(0, 10)])] };

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs, options));

        Assert.Equal(10, outcomes.Count(o => o.ResultKey == "rk-ten" && o.Status == TryOnBulkStatus.Succeeded));
        Assert.Equal([[10, 11]], client.Submitted.Select(b => b.Select(t => Array.IndexOf(Inputs, t)).ToArray()));
    }

    [Fact]
    public async Task Batches_never_sent_for_lack_of_a_rate_limit_permit_end_failed_unrecorded_and_a_resumed_run_submits_them()
    {
        var time = new ObservedFakeTimeProvider();
        var submits = 0;
        var transport = new RecordingHandler((request, _) => request.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal)
            ? RecordingHandler.Response(System.Net.HttpStatusCode.OK, Json.Job($"rk-{Interlocked.Increment(ref submits)}", "SUCCESS"))
            : RecordingHandler.Response(System.Net.HttpStatusCode.OK, Json.Job(request.QueriedKey!, "SUCCESS"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => { o.RateLimit.RequestsPerSecond = 0.5; o.TotalTimeout = TimeSpan.FromSeconds(3); }), transport, time);
        var reported = new ConcurrentQueue<TryOnBulkBatch>();

        // Four single-task batches at once; a permit every 2 s: two are sent (at 0 s and 2 s), two run out of time at 3 s.
        var run = CollectAsync(client.RunBulkAsync(Inputs[..4], Reporting(reported) with { BatchSize = 1 }));
        await FakeClock.SettleAsync(run, () => transport.Requests.Count == 1);
        FakeClock.Advance(time, TimeSpan.FromSeconds(2));
        await FakeClock.SettleAsync(run, () => transport.Requests.Count == 2);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        var outcomes = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal(2, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
        var failed = outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).ToArray();
        Assert.Equal(2, failed.Length);
        Assert.All(failed, o => Assert.IsType<TryOnTimeoutException>(o.Error));
        Assert.All(failed, o => Assert.Contains("No job was created", o.Error!.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(outcomes, o => o.Status == TryOnBulkStatus.OutcomeUnknown);
        Assert.Equal(2, reported.Count);
        Assert.All(reported, b => Assert.NotNull(b.ResultKey));

        // Resumed with what was recorded: the two never sent are submitted now, the two recorded are not.
        var resumedTransport = new RecordingHandler((request, _) => request.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal)
            ? RecordingHandler.Response(System.Net.HttpStatusCode.OK, Json.Job("rk-resumed", "SUCCESS"))
            : RecordingHandler.Response(System.Net.HttpStatusCode.OK, Json.Job(request.QueriedKey!, "SUCCESS"))) { Clock = time };
        var resumed = new TryOnClient(TestOptions.Create(), resumedTransport, time);
        var resumedRun = CollectAsync(resumed.RunBulkAsync(Inputs[..4], new TryOnBulkOptions { BatchSize = 1, SubmittedBatches = [.. reported] }));
        // The two submits answer at once; the two recorded jobs are waited for: a first query after at most 1 s.
        await FakeClock.SettleAsync(resumedRun, () => resumedTransport.Requests.Count == 2 && time.HasTimerDueWithin(TimeSpan.FromSeconds(1)) && time.PendingTimers >= 4);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        var again = await resumedRun.WaitAsync(TimeSpan.FromSeconds(10));


        Assert.All(again, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.Equal(failed.Select(o => o.InputIndex).Order(), again.Where(o => o.ResultKey == "rk-resumed").Select(o => o.InputIndex).Order());
        Assert.Equal(2, resumedTransport.Requests.Count(r => r.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_earlier_runs_job_the_service_no_longer_knows_or_a_job_answered_about_unusably_ends_its_tasks_failed_with_its_key()
    {
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => Task.FromResult(Job("rk-garbled", "WAITING")),
            Wait = (key, _, _) => key == "rk-gone"
                ? throw NotFound()
                : throw new TryOnInvalidResponseException("result 0 of task 0 is not an absolute http or https URL", new TryOnErrorDetails { Status = 200 }),
        };

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..2], new TryOnBulkOptions { BatchSize = 1, SubmittedBatches = [new TryOnBulkBatch("rk-gone", [0])] }));

        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Failed, o.Status));
        Assert.IsType<TryOnJobNotFoundException>(outcomes.Single(o => o.InputIndex == 0).Error);
        Assert.Equal("rk-gone", outcomes.Single(o => o.InputIndex == 0).ResultKey);
        Assert.IsType<TryOnInvalidResponseException>(outcomes.Single(o => o.InputIndex == 1).Error);
        Assert.Equal(0, outcomes.Single(o => o.InputIndex == 1).TaskIndex);
    }

    [Fact]
    public async Task A_job_this_run_created_that_the_service_does_not_know_yet_is_unknown_with_its_key_never_failed()
    {
        // The submit answered with the key, so the job exists and is billed; "failed" would have it submitted again.
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => Task.FromResult(Job("rk-new", "WAITING", "WAITING")),
            Wait = (_, _, _) => throw NotFound(),
        };

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..2]));

        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.All(outcomes, o => Assert.Equal("rk-new", o.ResultKey));
        Assert.Equal([0, 1], outcomes.Select(o => o.TaskIndex!.Value).Order());
        Assert.All(outcomes, o => Assert.IsType<TryOnJobNotFoundException>(o.Error));
    }

    private static TryOnJobNotFoundException NotFound() =>
        new("No job was found for the result key.", new TryOnErrorDetails { Status = 400, ErrorCode = "23500008" });

    [Fact]
    public async Task A_job_the_service_says_failed_as_a_whole_ends_its_tasks_failed_not_unknown()
    {
        // The service's answer to the query, over HTTP: 500 with code 23500011 ("Job execution failed"), no job to read.
        // The job has ended: waiting again gives the same answer, so its tasks fail rather than stay unknown.
        var time = new ObservedFakeTimeProvider();
        var transport = Answers.InOrder(time, Answers.Job("rk-failed", "WAITING", "WAITING"), Answers.Error(HttpStatusCode.InternalServerError, "23500011", "Job execution failed"));
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var outcomes = await FakeClock.RunAsync(time, CollectAsync(client.RunBulkAsync(Inputs[..2])), TimeSpan.FromMinutes(5));

        Assert.Equal([0, 1], outcomes.Select(o => o.InputIndex).Order());
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Failed, o.Status));
        Assert.All(outcomes, o => Assert.Equal("rk-failed", o.ResultKey));
        Assert.All(outcomes, o => Assert.Equal("23500011", Assert.IsType<TryOnJobFailedException>(o.Error).ErrorCode));
        Assert.Equal(2, transport.Requests.Count); // the submit and one query: the job's failure is not waited on again
    }

    [Fact]
    public async Task A_task_whose_links_cannot_be_used_fails_alone_and_its_job_s_other_tasks_keep_their_images()
    {
        var readable = Job("rk-mixed", "SUCCESS", "SUCCESS", "FAILED");
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk-mixed", "WAITING", "WAITING", "WAITING")),
            Wait = (_, _, _) => throw new TryOnInvalidResponseException("result 0 of task 1 uses the scheme 'oss'") { Job = readable, TaskIndices = [1] },
        };

        var outcomes = (await CollectAsync(client.RunBulkAsync(Inputs[..3]))).OrderBy(o => o.InputIndex).ToArray();

        Assert.Equal([TryOnBulkStatus.Succeeded, TryOnBulkStatus.Failed, TryOnBulkStatus.Failed], outcomes.Select(o => o.Status));
        Assert.Equal(readable.Tasks[0].ResultUrls, outcomes[0].ResultUrls);
        Assert.IsType<TryOnInvalidResponseException>(outcomes[1].Error);
        Assert.IsType<TryOnJobFailedException>(outcomes[2].Error);
        Assert.All(outcomes, o => Assert.Equal("rk-mixed", o.ResultKey));
    }

    public static TheoryData<TryOnBulkBatch?[], string> UnusableResumedBatches => new()
    {
        { [new TryOnBulkBatch("rk", [0, -1])], "TryOnBulkOptions.SubmittedBatches[0].InputIndices holds -1, outside the 12 tasks given." },
        { [new TryOnBulkBatch("rk", [12])], "TryOnBulkOptions.SubmittedBatches[0].InputIndices holds 12, outside the 12 tasks given." },
        { [new TryOnBulkBatch("rk", [0, 1]), new TryOnBulkBatch(null, [2, 1])], "TryOnBulkOptions.SubmittedBatches[1].InputIndices holds 1, which an earlier batch holds too." },
        { [new TryOnBulkBatch("rk", [3, 3])], "TryOnBulkOptions.SubmittedBatches[0].InputIndices holds 3, which an earlier batch holds too." },
        { [new TryOnBulkBatch("rk", [])], "TryOnBulkOptions.SubmittedBatches[0].InputIndices must hold 1 to 10 indexes; it holds 0." },
        { [new TryOnBulkBatch("rk", [.. Enumerable.Range(0, 11)])], "TryOnBulkOptions.SubmittedBatches[0].InputIndices must hold 1 to 10 indexes; it holds 11." },
        { [new TryOnBulkBatch(" ", [0])], "TryOnBulkOptions.SubmittedBatches[0].ResultKey must be null or a result key, not empty or whitespace." },
        { [new TryOnBulkBatch("", [0])], "TryOnBulkOptions.SubmittedBatches[0].ResultKey must be null or a result key, not empty or whitespace." },
        { [new TryOnBulkBatch("rk", [0]), null], "TryOnBulkOptions.SubmittedBatches[1] is null." },
        { [new TryOnBulkBatch("rk", null!)], "TryOnBulkOptions.SubmittedBatches[0].InputIndices is null." },
    };

    [Theory]
    [MemberData(nameof(UnusableResumedBatches))]
    public void An_unusable_resumed_batch_is_refused_before_anything_is_sent_naming_the_batch_and_the_problem(TryOnBulkBatch?[] batches, string message)
    {
        var client = new ScriptedClient();

        var error = Assert.ThrowsAny<ArgumentException>(() => client.RunBulkAsync(Inputs, new TryOnBulkOptions { SubmittedBatches = batches! }));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(client.Submitted);
        Assert.Empty(client.Waited);
    }

    [Fact]
    public async Task The_callback_is_called_one_batch_at_a_time_even_when_batches_run_at_once()
    {
        // A store the user writes (a file, a table) need not be thread-safe: the run never calls it twice at once.
        var submits = 0;
        var client = new ScriptedClient
        {
            Submit = (tasks, _) => Task.FromResult(Job($"rk-{Interlocked.Increment(ref submits)}", [.. tasks.Select(_ => "WAITING")])),
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS", "SUCCESS")),
        };
        var inside = 0;
        var most = 0;
        var calls = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new TryOnBulkOptions
        {
            BatchSize = 2,
            MaxConcurrentBatches = 6,
            OnBatchSubmitted = async (_, _) =>
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                if (Interlocked.Increment(ref calls) == 1)
                {
                    // Hold the first call until every batch has been submitted, so the others are all waiting to report.
                    await Task.WhenAny(allStarted.Task, Task.Delay(TimeSpan.FromSeconds(10)));
                }

                Interlocked.Decrement(ref inside);
            },
        };

        var run = CollectAsync(client.RunBulkAsync(Inputs, options));
        while (Volatile.Read(ref submits) < 6 && !run.IsCompleted)
        {
            await Task.Yield();
        }

        allStarted.SetResult();
        var outcomes = await run;

        Assert.Equal(12, outcomes.Count);
        Assert.Equal(6, calls);
        Assert.Equal(1, most);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
            seen = Volatile.Read(ref target);
        }
    }

    public static TheoryData<TryOnBulkOptions, string> InvalidOptions => new()
    {
        { new TryOnBulkOptions { BatchSize = 0 }, "TryOnBulkOptions.BatchSize must be from 1 to 10." },
        { new TryOnBulkOptions { BatchSize = 11 }, "TryOnBulkOptions.BatchSize must be from 1 to 10." },
        { new TryOnBulkOptions { MaxConcurrentBatches = 0 }, "TryOnBulkOptions.MaxConcurrentBatches must be at least 1." },
        { new TryOnBulkOptions { Wait = new TryOnWaitOptions { Timeout = TimeSpan.FromSeconds(-1) } }, "TryOnWaitOptions.Timeout must be positive or infinite." },
        { new TryOnBulkOptions { Wait = new TryOnWaitOptions { MaxConsecutiveFailedQueries = -1 } }, "TryOnWaitOptions.MaxConsecutiveFailedQueries must be from 0 to 100." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Options_out_of_range_are_refused_before_anything_is_sent(TryOnBulkOptions options, string message)
    {
        var client = new ScriptedClient();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => client.RunBulkAsync(Inputs, options));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(client.Submitted);
    }

    [Fact]
    public void Tasks_are_all_checked_before_anything_is_sent_each_named_by_its_index_in_the_run()
    {
        var client = new ScriptedClient();
        var tasks = Inputs.ToArray();
        tasks[11] = tasks[11] with { Upper = null };

        Assert.Equal("tasks", Assert.Throws<ArgumentNullException>(() => client.RunBulkAsync(null!)).ParamName);
        var error = Assert.Throws<TryOnInvalidTaskException>(() => client.RunBulkAsync(tasks));

        Assert.Equal("tasks[11]", error.Field);
        Assert.Empty(client.Submitted);
    }

    [Fact]
    public async Task A_run_whose_every_input_an_earlier_run_submitted_submits_nothing()
    {
        var client = new ScriptedClient { Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS", "SUCCESS")) };

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..4], new TryOnBulkOptions
        {
            SubmittedBatches = [new TryOnBulkBatch("rk-a", [0, 1]), new TryOnBulkBatch("rk-b", [2, 3])],
        }));

        Assert.Empty(client.Submitted);
        Assert.Equal(4, outcomes.Count(o => o.Succeeded));
    }

    [Fact]
    public async Task A_batch_an_earlier_run_submitted_without_learning_its_job_is_unknown_and_says_why()
    {
        var client = new ScriptedClient();

        var outcomes = await CollectAsync(client.RunBulkAsync(Inputs[..2], new TryOnBulkOptions { SubmittedBatches = [new TryOnBulkBatch(null, [1, 0])] }));

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.Equal((TryOnBulkStatus.OutcomeUnknown, null, null), (o.Status, o.ResultKey, o.TaskIndex));
            var error = Assert.IsType<TryOnSubmitOutcomeUnknownException>(o.Error);
            Assert.Contains("An earlier run submitted this task's batch, or was about to, without learning whether the service created the job", error.Message, StringComparison.Ordinal);
            Assert.Equal([Inputs[1], Inputs[0]], error.Tasks);
        });
        Assert.Empty(client.Submitted);
    }

    [Fact]
    public async Task A_run_cancelled_before_it_starts_sends_nothing()
    {
        var client = new ScriptedClient { Submit = (_, _) => Task.FromResult(Job("rk", "WAITING")) };
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(client.RunBulkAsync(Inputs, null, cancellation.Token)));

        Assert.Empty(client.Submitted);
    }

    [Fact]
    public async Task A_wait_that_times_out_gives_finished_tasks_their_outcome_and_the_others_their_key_and_the_reason()
    {
        var last = Job("rk", "SUCCESS", "RUNNING");
        var timedOut = new TryOnWaitTimeoutException("rk", TimeSpan.FromMinutes(10), last);
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk", "WAITING", "WAITING")),
            Wait = (_, _, _) => throw timedOut,
        };

        var outcomes = (await CollectAsync(client.RunBulkAsync(Inputs[..2]))).OrderBy(o => o.InputIndex).ToArray();

        Assert.Equal((TryOnBulkStatus.Succeeded, "rk", 0), (outcomes[0].Status, outcomes[0].ResultKey, outcomes[0].TaskIndex!.Value));
        Assert.Equal((TryOnBulkStatus.OutcomeUnknown, "rk", 1), (outcomes[1].Status, outcomes[1].ResultKey, outcomes[1].TaskIndex!.Value));
        Assert.Same(timedOut, outcomes[1].Error);
    }

    [Fact]
    public async Task A_wait_that_fails_otherwise_leaves_every_task_unknown_with_the_job_s_key_to_wait_again()
    {
        var failure = new TryOnServiceException("the service failed", new TryOnErrorDetails { Status = 503 });
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk", "WAITING", "WAITING")),
            Wait = (_, _, _) => throw failure,
        };

        var outcomes = (await CollectAsync(client.RunBulkAsync(Inputs[..2]))).OrderBy(o => o.InputIndex).ToArray();

        Assert.All(outcomes, o => Assert.Equal((TryOnBulkStatus.OutcomeUnknown, "rk"), (o.Status, o.ResultKey)));
        Assert.Equal([0, 1], outcomes.Select(o => o.TaskIndex!.Value));
        Assert.All(outcomes, o => Assert.Same(failure, o.Error));
    }

    [Fact]
    public async Task A_failed_task_says_which_task_of_which_job_failed()
    {
        var client = new ScriptedClient
        {
            Submit = (_, _) => Task.FromResult(Job("rk", "WAITING", "WAITING")),
            Wait = (key, _, _) => throw new TryOnJobFailedException("failed") { Job = Job(key, "SUCCESS", "FAILED") },
        };

        var outcomes = (await CollectAsync(client.RunBulkAsync(Inputs[..2]))).OrderBy(o => o.InputIndex).ToArray();

        Assert.Equal(TryOnBulkStatus.Succeeded, outcomes[0].Status);
        Assert.Equal(TryOnBulkStatus.Failed, outcomes[1].Status);
        Assert.Equal("Task 1 of try-on job 'rk' ended FAILED.", outcomes[1].Error!.Message);
        Assert.Equal(1, outcomes[1].TaskIndex);
    }

    private static TryOnBulkOptions Reporting(ConcurrentQueue<TryOnBulkBatch> reported) => new()
    {
        OnBatchSubmitted = (batch, _) =>
        {
            reported.Enqueue(batch);
            return Task.CompletedTask;
        },
    };

    private static TryOnJob Job(string resultKey, params string[] statuses) => new(
        resultKey,
        [.. statuses.Select((status, i) => new TryOnTaskResult(
            i,
            (TryOnTaskStatus)status,
            status == "SUCCESS" ? [new Uri($"https://r.test/{resultKey}/{i}.png")] : []))]);

    internal static async Task<List<TryOnBulkOutcome>> CollectAsync(IAsyncEnumerable<TryOnBulkOutcome> run)
    {
        var outcomes = new List<TryOnBulkOutcome>();
        await foreach (var outcome in run)
        {
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    /// <summary>A client with no connection whose submit and wait are scripted, recording what they were asked.</summary>
    internal sealed class ScriptedClient : TryOnClient
    {
        private readonly ConcurrentQueue<IReadOnlyList<TryOnTask>> _submitted = new();
        private readonly ConcurrentQueue<string> _waited = new();

        public Func<IReadOnlyList<TryOnTask>, CancellationToken, Task<TryOnJob>> Submit { get; init; } = (_, _) => throw new InvalidOperationException("No submit scripted.");

        public Func<string, TryOnWaitOptions?, CancellationToken, Task<TryOnJob>> Wait { get; init; } = (_, _, _) => throw new InvalidOperationException("No wait scripted.");

        public IReadOnlyList<IReadOnlyList<TryOnTask>> Submitted => [.. _submitted];

        public IReadOnlyList<string> Waited => [.. _waited];

        public override Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
        {
            var list = tasks.ToArray();
            _submitted.Enqueue(list);
            return Submit(list, cancellationToken);
        }

        public override Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
        {
            _waited.Enqueue(resultKey);
            return Wait(resultKey, options, cancellationToken);
        }
    }
}
