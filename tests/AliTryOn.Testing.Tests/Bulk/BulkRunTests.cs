using System.Text.Json;

namespace AliTryOn.Testing.Tests.Bulk;

/// <summary>
/// <see cref="TryOnClient.RunBulkAsync"/> against the in-memory emulator on a fake clock: every input ends as exactly one
/// outcome, with its index; jobs of at most 10; no input submitted twice, faults and restarts included.
/// </summary>
public class BulkRunTests
{
    [Fact]
    public async Task Hundreds_of_tasks_each_end_as_one_success_in_jobs_of_ten_with_their_input_index()
    {
        var harness = new BulkHarness();
        var tasks = BulkHarness.Tasks(237);

        var outcomes = await harness.RunAsync(tasks, harness.Options(maxConcurrentBatches: 5));

        Assert.Equal(237, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.All(outcomes, o => Assert.Same(tasks[o.InputIndex], o.Task));
        harness.AssertEachInputOnceAndNoneSubmittedTwice(237, outcomes);

        var jobs = harness.CreatedJobs();
        Assert.Equal(24, jobs.Count);
        Assert.Equal(24, harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.All(jobs.Values, inputs => Assert.InRange(inputs.Length, 1, 10));
        Assert.Equal(23, jobs.Values.Count(inputs => inputs.Length == 10));

        // Each accepted job was reported once, with its inputs in the job's task order.
        var reported = harness.Reported.ToArray();
        Assert.Equal(24, reported.Length);
        Assert.All(reported, batch => Assert.Equal(jobs[batch.ResultKey!], batch.InputIndices));

        // Outcomes stream as jobs complete, each job's tasks together.
        var runs = outcomes.Where((o, i) => i == 0 || outcomes[i - 1].ResultKey != o.ResultKey).Count();
        Assert.Equal(24, runs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task No_more_batches_than_the_bound_are_in_flight(int bound)
    {
        var harness = new BulkHarness();

        var outcomes = await harness.RunAsync(BulkHarness.Tasks(60), harness.Options(maxConcurrentBatches: bound) with { BatchSize = 5 });

        Assert.Equal(60, outcomes.Count(o => o.Succeeded));
        Assert.Equal(12, harness.Client.Submits);
        Assert.Equal(bound, harness.Client.Peak);
        Assert.All(harness.CreatedJobs().Values, inputs => Assert.Equal(5, inputs.Length));
    }

    [Fact]
    public async Task Throttling_500s_dropped_connections_and_failed_tasks_lose_nothing_and_submit_nothing_twice()
    {
        var harness = new BulkHarness();
        var faults = harness.Emulator.Faults;
        faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled(), times: 2);          // retried by the client
        faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.InternalError());                 // 500, no job: outcome unknown
        faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.DroppedConnection(afterProcessing: true)); // a job, never acknowledged
        faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TaskFailed());                    // a job whose tasks end FAILED
        faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.QuotaExhausted());                // refused: no job
        faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.HtmlError(503), times: 3);         // retried by the client

        var outcomes = await harness.RunAsync(BulkHarness.Tasks(80), harness.Options(maxConcurrentBatches: 3));

        harness.AssertEachInputOnceAndNoneSubmittedTwice(80, outcomes);
        Assert.Equal(40, outcomes.Count(o => o.Succeeded));

        var failed = outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).ToArray();
        Assert.Equal(10, failed.Count(o => o.Error is TryOnQuotaExceededException && o.ResultKey is null));
        var taskFailures = failed.Where(o => o.Error is TryOnJobFailedException).ToArray();
        Assert.Equal(10, taskFailures.Length);
        Assert.All(taskFailures, o => Assert.Equal(TryOnTaskStatus.Failed, o.Result!.Status));
        Assert.Single(taskFailures.Select(o => o.ResultKey).Distinct());

        var unknown = outcomes.Where(o => o.Status == TryOnBulkStatus.OutcomeUnknown).ToArray();
        Assert.Equal(20, unknown.Length);
        Assert.All(unknown, o => Assert.IsType<TryOnSubmitOutcomeUnknownException>(o.Error));
        Assert.All(unknown, o => Assert.Null(o.ResultKey));

        // Jobs: four batches succeeded, one failed its tasks, one was created behind a dropped connection.
        var records = harness.Emulator.Requests;
        Assert.Equal(6, records.Count(r => r.CreatedJob));
        Assert.Equal(2, records.Count(r => r.Fault?.ToString() == TryOnEmulatorFault.Throttled().ToString()));
        Assert.Equal(8 + 2, records.Count(r => r.Operation == TryOnEmulatorOperation.Submit));

        // Every batch that may have created a job was reported, with its key when known; the refused one was not.
        var reported = harness.Reported.ToArray();
        Assert.Equal(7, reported.Length);
        Assert.Equal(5, reported.Count(b => b.ResultKey is not null));
        Assert.Equal(
            unknown.Select(o => o.InputIndex).Order(),
            reported.Where(b => b.ResultKey is null).SelectMany(b => b.InputIndices).Order());
    }

    [Fact]
    public async Task Submits_throttled_past_the_retries_fail_with_their_reason_and_create_nothing()
    {
        var harness = new BulkHarness();
        harness.Emulator.Faults.AddAlways(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.GatewayThrottled());

        var outcomes = await harness.RunAsync(BulkHarness.Tasks(25), harness.Options());

        harness.AssertEachInputOnceAndNoneSubmittedTwice(25, outcomes);
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Failed, o.Status));
        Assert.All(outcomes, o => Assert.True(Assert.IsType<TryOnThrottledException>(o.Error).IsRetryable));
        Assert.Equal(3 * 4, harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.Equal(0, harness.Emulator.JobCount);
        Assert.Empty(harness.Reported);
    }

    [Fact]
    public async Task A_wait_time_out_gives_finished_tasks_their_outcome_and_the_rest_their_result_key_and_a_resumed_run_waits_instead_of_resubmitting()
    {
        var harness = new BulkHarness(e => e.QualityDuration = TimeSpan.FromMinutes(2));
        // Inputs alternate fast (10 s in all) and quality (over 2 minutes); each job is waited for 30 s.
        var tasks = Enumerable.Range(0, 30).Select(i => BulkHarness.Task(i, i % 2 == 0 ? InferenceMode.Fast : InferenceMode.Quality)).ToArray();

        var first = await harness.RunAsync(tasks, harness.Options(wait: new TryOnWaitOptions { Timeout = TimeSpan.FromSeconds(30) }));

        harness.AssertEachInputOnceAndNoneSubmittedTwice(30, first);
        Assert.All(first.Where(o => o.InputIndex % 2 == 0), o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        var pending = first.Where(o => o.InputIndex % 2 == 1).ToArray();
        Assert.All(pending, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.All(pending, o => Assert.IsType<TryOnWaitTimeoutException>(o.Error));
        Assert.All(pending, o => Assert.Equal(TryOnTaskStatus.Running, o.Result!.Status));
        Assert.All(pending, o => Assert.NotNull(o.ResultKey));
        Assert.Equal(3, harness.Emulator.JobCount);

        // The process "restarts": a new run of the same inputs, given the batches the first one reported.
        var persisted = harness.Reported.ToArray();
        harness.Reported.Clear();
        var second = await harness.RunAsync(tasks, harness.Options(resume: persisted));

        harness.AssertEachInputOnceAndNoneSubmittedTwice(30, second);
        Assert.All(second, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.Equal(3, harness.Emulator.JobCount);
        Assert.Equal(3, harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.Empty(harness.Reported);
        Assert.All(second, o => Assert.Equal(first.Single(p => p.InputIndex == o.InputIndex).ResultKey, o.ResultKey));
    }

    [Fact]
    public async Task A_run_stopped_before_its_jobs_ended_reports_their_images_and_a_resumed_run_deletes_them_when_the_jobs_end()
    {
        var harness = new BulkHarness(e => e.QualityDuration = TimeSpan.FromMinutes(2));
        // Each input has a local garment of its own; its quality job outlasts the first run's 30-second wait.
        var tasks = Enumerable.Range(0, 20)
            .Select(i => BulkHarness.Task(i, InferenceMode.Quality) with { Upper = new GarmentImage(TryOnImage.FromBytes(TestImages.Png(600 + i, 800), "image/png", $"coat-{i}.png"), GarmentKind.FlatLay) })
            .ToArray();

        var first = await harness.RunAsync(tasks, harness.Options(wait: new TryOnWaitOptions { Timeout = TimeSpan.FromSeconds(30) }));

        Assert.All(first, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        var reported = harness.Reported.ToArray();
        Assert.Equal(2, reported.Length);
        Assert.All(reported, b => Assert.Equal(10, b.ImageKeys.Count));
        Assert.Equal(harness.Emulator.ImageHost.Keys.Order(StringComparer.Ordinal), reported.SelectMany(b => b.ImageKeys).Order(StringComparer.Ordinal));
        Assert.Equal(0, harness.Emulator.ImageHost.DeleteCount);

        // The process restarts, its store read back from JSON: the new client knows the images only from the batches.
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var persisted = reported.Select(b => JsonSerializer.Deserialize<TryOnBulkBatch>(JsonSerializer.Serialize(b, web), web)!).ToArray();
        harness.Reported.Clear();
        harness.Restart();
        var second = await harness.RunAsync(tasks, harness.Options(resume: persisted));

        Assert.All(second, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.Equal(2, harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.Empty(harness.Emulator.ImageHost.Keys);
        Assert.Equal(20, harness.Emulator.ImageHost.DeleteCount);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("catalog/price-list.png")]                                                            // another object of the bucket
    [InlineData("0123456789abcdef0123456789abcdef/../0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png")]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.exe")]
    public void A_resumed_batch_naming_an_image_the_client_did_not_publish_is_refused_before_anything_is_sent_or_deleted(string key)
    {
        var harness = new BulkHarness();
        const string Published = "0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png";

        var error = Assert.Throws<ArgumentException>("options", () => harness.Client.RunBulkAsync(BulkHarness.Tasks(3), new TryOnBulkOptions { SubmittedBatches = [new TryOnBulkBatch("k", [0, 1]) { ImageKeys = [Published, key] }] }));

        Assert.StartsWith("TryOnBulkOptions.SubmittedBatches[0].ImageKeys[1] is not a key the client publishes under ({32 hex}/{64 hex}.{jpg, png, webp, bmp or gif})", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Emulator.Requests);
        Assert.Equal(0, harness.Emulator.ImageHost.DeleteCount);
    }

    [Fact]
    public async Task A_failing_wait_still_yields_every_task_of_its_job_with_the_result_key()
    {
        var harness = new BulkHarness();
        harness.Emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, TryOnEmulatorFault.HtmlError(502));

        var outcomes = await harness.RunAsync(BulkHarness.Tasks(23), harness.Options());

        harness.AssertEachInputOnceAndNoneSubmittedTwice(23, outcomes);
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.All(outcomes, o => Assert.IsType<TryOnServiceException>(o.Error));
        Assert.All(outcomes, o => Assert.NotNull(o.ResultKey));
        Assert.Equal(3, harness.Emulator.JobCount);
        Assert.Equal(3, harness.Reported.Count);
    }

    [Fact]
    public async Task A_run_stopped_midway_resumes_from_the_reported_batches_and_submits_each_task_once()
    {
        var harness = new BulkHarness();
        var tasks = BulkHarness.Tasks(50);
        using var stop = new CancellationTokenSource();
        var seen = new List<TryOnBulkOutcome>();

        var first = BulkHarness.CollectAsync(harness.Client.RunBulkAsync(tasks, harness.Options(maxConcurrentBatches: 2), stop.Token), o =>
        {
            seen.Add(o);
            if (seen.Count == 10)
            {
                stop.Cancel(); // the process is stopped after its first job's outcomes
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.DriveAsync(first));

        Assert.Equal(10, seen.Count);
        var persisted = harness.Reported.ToArray();
        Assert.Equal(2, persisted.Length); // the finished job and the one being waited for
        Assert.All(persisted, b => Assert.NotNull(b.ResultKey));
        harness.Reported.Clear();

        var second = await harness.RunAsync(tasks, harness.Options(maxConcurrentBatches: 2, resume: persisted));

        harness.AssertEachInputOnceAndNoneSubmittedTwice(50, second);
        Assert.All(second, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.Equal(5, harness.Emulator.JobCount);
        Assert.Equal(5, harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.Equal(3, harness.Reported.Count);
        Assert.All(seen, o => Assert.Equal(o.ResultKey, second.Single(s => s.InputIndex == o.InputIndex).ResultKey));
    }

    [Fact]
    public void An_invalid_task_is_named_by_its_input_index_and_nothing_is_sent()
    {
        var harness = new BulkHarness();
        var tasks = BulkHarness.Tasks(60);
        tasks[37] = tasks[37] with { Upper = null };

        var error = Assert.Throws<TryOnInvalidTaskException>("tasks", () => harness.Client.RunBulkAsync(tasks));
        Assert.Contains("tasks[37]", error.Message, StringComparison.Ordinal);

        tasks = BulkHarness.Tasks(60);
        tasks[52] = tasks[52] with { ModelImage = new Uri("ftp://img.test/model.png") };
        error = Assert.Throws<TryOnInvalidTaskException>("tasks", () => harness.Client.RunBulkAsync(tasks));
        Assert.Contains("tasks[52].modelImage", error.Message, StringComparison.Ordinal);

        tasks[52] = null!;
        Assert.Contains("tasks[52] is null", Assert.Throws<TryOnInvalidTaskException>("tasks", () => harness.Client.RunBulkAsync(tasks)).Message, StringComparison.Ordinal);

        Assert.Empty(harness.Emulator.Requests);
        Assert.Equal(0, harness.Client.Submits);
    }

    [Fact]
    public void Invalid_options_and_resumed_batches_are_refused_before_anything_is_sent()
    {
        var harness = new BulkHarness();
        var tasks = BulkHarness.Tasks(20);

        Assert.Throws<ArgumentOutOfRangeException>("options", () => harness.Client.RunBulkAsync(tasks, new TryOnBulkOptions { BatchSize = 11 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => harness.Client.RunBulkAsync(tasks, new TryOnBulkOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => harness.Client.RunBulkAsync(tasks, new TryOnBulkOptions { MaxConcurrentBatches = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => harness.Client.RunBulkAsync(tasks, new TryOnBulkOptions { Wait = new TryOnWaitOptions { Timeout = TimeSpan.Zero } }));

        TryOnBulkOptions Resume(params TryOnBulkBatch[] batches) => new() { SubmittedBatches = batches };
        Assert.Contains("outside the 20 tasks", Assert.Throws<ArgumentException>("options", () => harness.Client.RunBulkAsync(tasks, Resume(new TryOnBulkBatch("k", [3, 20])))).Message, StringComparison.Ordinal);
        Assert.Contains("SubmittedBatches[1]", Assert.Throws<ArgumentException>("options", () => harness.Client.RunBulkAsync(tasks, Resume(new TryOnBulkBatch("k", [3]), new TryOnBulkBatch("j", [4, 3])))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("options", () => harness.Client.RunBulkAsync(tasks, Resume(new TryOnBulkBatch("k", []))));
        Assert.Throws<ArgumentException>("options", () => harness.Client.RunBulkAsync(tasks, Resume(new TryOnBulkBatch(" ", [1]))));
        Assert.Throws<ArgumentException>("options", () => harness.Client.RunBulkAsync(tasks, Resume(new TryOnBulkBatch("k", Enumerable.Range(0, 11).ToArray()))));

        Assert.Empty(harness.Emulator.Requests);
    }

    [Fact]
    public async Task No_tasks_yield_no_outcomes_and_send_nothing()
    {
        var harness = new BulkHarness();

        Assert.Empty(await harness.RunAsync([], harness.Options()));
        Assert.Empty(harness.Emulator.Requests);
    }
}
