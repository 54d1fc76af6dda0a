using System.Collections.Concurrent;
using System.Net;
using AliTryOn.Tests.Images;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Bulk;

/// <summary>
/// A batch refused for an image: halves submitted until the refused task stands alone, on a client whose submit and
/// wait are scripted (BadImageBulkTests in AliTryOn.Testing.Tests run the same against the emulator's image rules).
/// </summary>
public sealed class BulkImageRefusalTests
{
    private static readonly TryOnTask[] Inputs = [.. Enumerable.Range(0, 12).Select(i => TestOptions.Task(i))];

    public static TheoryData<string> Refusals => ["23500005", "23500006", "23500007"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_batch_refused_for_an_image_is_halved_until_the_refused_task_stands_alone(string code)
    {
        var reported = new ConcurrentQueue<TryOnBulkBatch>();
        var client = Client(tasks => tasks.Contains(Inputs[6]) ? Refusal(code) : null);

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..10], new TryOnBulkOptions { OnBatchSubmitted = (batch, _) => { reported.Enqueue(batch); return Task.CompletedTask; } }));

        Assert.Equal([10, 5, 5, 2, 1, 1, 3], client.Submitted.Select(s => s.Count));
        Assert.Equal(Enumerable.Range(0, 10), outcomes.Select(o => o.InputIndex).Order());
        Assert.Equal(9, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
        var failed = Assert.Single(outcomes, o => o.Status == TryOnBulkStatus.Failed);
        Assert.Equal(6, failed.InputIndex);
        Assert.Null(failed.ResultKey);
        var error = Assert.IsAssignableFrom<TryOnException>(failed.Error);
        Assert.Equal(Refusal(code).GetType(), error.GetType());
        Assert.Equal($"tasks[6]: the service refused one of this task's images (https://img.example.test/model-6.png, https://img.example.test/top-6.png): refused {code}", error.Message);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(400, error.Status);
        Assert.Equal(error.GetType(), error.InnerException!.GetType());
        // Only the batches that made a job are recorded, each with its inputs.
        Assert.Equal([[0, 1, 2, 3, 4], [5], [7, 8, 9]], reported.Select(b => b.InputIndices.ToArray()).OrderBy(i => i[0]));
    }

    [Fact]
    public async Task Two_refused_tasks_each_fail_alone_and_a_lone_refused_task_is_not_split()
    {
        var client = Client(tasks => tasks.Contains(Inputs[1]) || tasks.Contains(Inputs[8]) ? Refusal("23500007") : null);

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..10]));

        Assert.Equal([1, 8], outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).Select(o => o.InputIndex).Order());
        Assert.Equal(8, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
        Assert.InRange(client.Submitted.Count, 3, 1 + (2 * 2 * 4)); // two refused tasks: at most two halvings each
        Assert.All(client.Submitted.Where(s => s.Count == 1 && (s[0] == Inputs[1] || s[0] == Inputs[8])), s => Assert.Single(s));
    }

    [Fact]
    public async Task A_refusal_that_is_not_about_an_image_fails_the_whole_batch_without_splitting()
    {
        var client = Client(_ => new TryOnQuotaExceededException("quota", new TryOnErrorDetails { Status = 403, ErrorCode = "23500002" }));

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..10]));

        Assert.Single(client.Submitted);
        Assert.All(outcomes, o => Assert.IsType<TryOnQuotaExceededException>(o.Error));
    }

    [Fact]
    public async Task A_local_image_the_client_refuses_fails_its_input_alone_and_the_rest_of_the_batch_goes_in_one_submit()
    {
        var client = Client(tasks => Array.IndexOf(tasks.ToArray(), Inputs[7]) is var at and >= 0
            ? new TryOnImageCheckException(at, TryOnImageSlot.Upper, "shirt.webp", TryOnImageProblem.Dimensions, "shirt.webp is 380 × 512 px; each side must be 400 to 4096 px")
            : null);

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..10]));

        Assert.Equal([10, 9], client.Submitted.Select(s => s.Count));
        Assert.DoesNotContain(Inputs[7], client.Submitted[1]);
        var failed = Assert.Single(outcomes, o => o.Status == TryOnBulkStatus.Failed);
        var error = Assert.IsType<TryOnImageCheckException>(failed.Error);
        Assert.Equal("tasks[7].Upper: shirt.webp is 380 × 512 px; each side must be 400 to 4096 px", error.Message);
        Assert.Equal((7, TryOnImageSlot.Upper, "shirt.webp", TryOnImageProblem.Dimensions), (error.TaskIndex, error.Slot, error.ImageName, error.Problem));
        Assert.Equal(9, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
    }

    [Fact]
    public async Task A_lone_task_whose_local_image_is_refused_fails_naming_its_input()
    {
        var client = Client(tasks => new TryOnImageCheckException(0, TryOnImageSlot.ModelImage, "me.heic", TryOnImageProblem.UnsupportedFormat, "me.heic is in HEIF format"));

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..12], new TryOnBulkOptions { BatchSize = 1, MaxConcurrentBatches = 1 }));

        Assert.Equal(12, client.Submitted.Count);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"tasks[{i}].ModelImage: me.heic is in HEIF format"), outcomes.OrderBy(o => o.InputIndex).Select(o => o.Error!.Message));
    }

    [Fact]
    public async Task A_batch_whose_image_the_host_cannot_publish_fails_each_task_naming_the_image_by_its_input()
    {
        var host = new RecordingImageHost { FailWith = u => u.Name is "me-1.png" or "me-3.png" ? new IOException("storage says no") : null };
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(host.UseIn), transport);
        TryOnTask[] inputs = [.. Enumerable.Range(0, 4).Select(i => new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600 + i, 800), "image/png", $"me-{i}.png"), new GarmentImage(TryOnImage.FromUrl(new Uri($"https://img.example.test/top-{i}.png")), GarmentKind.FlatLay)))];

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(inputs, new TryOnBulkOptions { BatchSize = 2, MaxConcurrentBatches = 1 }));

        Assert.Empty(transport.Requests);
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Failed, o.Status));
        var errors = outcomes.OrderBy(o => o.InputIndex).Select(o => Assert.IsType<TryOnImagePublishException>(o.Error)).ToArray();
        const string Tail = ": IOException. No job was created, so it is safe to submit again.";
        Assert.Equal(
            [
                "tasks[0] was not submitted with its batch: the image host (RecordingImageHost) could not publish me-1.png (tasks[1].ModelImage)" + Tail,
                "The image host (RecordingImageHost) could not publish me-1.png (tasks[1].ModelImage)" + Tail,
                "tasks[2] was not submitted with its batch: the image host (RecordingImageHost) could not publish me-3.png (tasks[3].ModelImage)" + Tail,
                "The image host (RecordingImageHost) could not publish me-3.png (tasks[3].ModelImage)" + Tail,
            ],
            errors.Select(e => e.Message));
        Assert.Equal([1, 1, 3, 3], errors.Select(e => e.TaskIndex));
        Assert.Equal(["me-1.png", "me-1.png", "me-3.png", "me-3.png"], errors.Select(e => e.ImageName));
        Assert.All(errors, e => Assert.Equal(TryOnImageSlot.ModelImage, e.Slot));
        Assert.All(errors, e => Assert.Equal("storage says no", e.InnerException!.Message));
    }

    [Fact]
    public async Task A_batch_whose_first_image_the_host_cannot_publish_names_it_on_every_task()
    {
        var host = new RecordingImageHost { FailWith = u => u.Name == "me-2.png" ? new IOException("storage says no") : null };
        var client = new TryOnClient(TestOptions.Create(host.UseIn), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "SUCCESS", "SUCCESS")));
        TryOnTask[] inputs = [.. Enumerable.Range(0, 4).Select(i => new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600 + i, 800), "image/png", $"me-{i}.png"), TestOptions.Task(i).Upper))];

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(inputs, new TryOnBulkOptions { BatchSize = 2, MaxConcurrentBatches = 1 }));

        var failed = outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).OrderBy(o => o.InputIndex).ToArray();
        Assert.Equal([2, 3], failed.Select(o => o.InputIndex));
        Assert.All(failed, o => Assert.Equal(2, Assert.IsType<TryOnImagePublishException>(o.Error).TaskIndex));
        Assert.StartsWith("tasks[3] was not submitted with its batch: the image host (RecordingImageHost) could not publish me-2.png (tasks[2].ModelImage)", failed[1].Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)] // the batch's length
    [InlineData(10)]
    public async Task A_publish_error_naming_a_task_outside_its_batch_fails_that_batch_alone(int taskIndex)
    {
        // A client of the application's own (a decorator, a mock) may throw one with any index.
        var client = Client(tasks => tasks.Contains(Inputs[0]) ? new TryOnImagePublishException(taskIndex, TryOnImageSlot.ModelImage, "me.png", "MyHost", new IOException("no")) : null);

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..4], new TryOnBulkOptions { BatchSize = 2 }));

        Assert.Equal([0, 1], outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).Select(o => o.InputIndex).Order());
        Assert.All(outcomes.Where(o => o.Status == TryOnBulkStatus.Failed), o => Assert.IsType<TryOnImagePublishException>(o.Error));
        Assert.Equal(2, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)] // the batch's length
    [InlineData(10)]
    public async Task A_check_error_naming_a_task_outside_its_batch_fails_that_batch_alone(int taskIndex)
    {
        var client = Client(tasks => tasks.Contains(Inputs[0]) ? new TryOnImageCheckException(taskIndex, TryOnImageSlot.ModelImage, "me.png", TryOnImageProblem.NotAnImage, "me.png is not an image") : null);

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..4], new TryOnBulkOptions { BatchSize = 2 }));

        Assert.Equal([0, 1], outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).Select(o => o.InputIndex).Order());
        Assert.Equal(2, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
    }

    [Fact]
    public async Task A_batchs_published_images_are_reported_with_it_and_a_resumed_run_on_a_new_client_deletes_them_when_its_job_ends()
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler((request, _) => RecordingHandler.Response(HttpStatusCode.OK, request.Uri.ToString() == TestOptions.QueryUrl ? Json.Job("rk-1", "SUCCESS", "SUCCESS") : Json.Job("rk-1", "WAITING", "WAITING")));
        TryOnTask[] inputs = [.. Enumerable.Range(0, 2).Select(i => new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600 + i, 800), "image/png", $"me-{i}.png"), TestOptions.Task(i).Upper))];
        var reported = new List<TryOnBulkBatch>();
        var options = new TryOnBulkOptions { OnBatchSubmitted = (batch, _) => { reported.Add(batch); return Task.CompletedTask; } };

        // The first process stops waiting (its wait fails); the job goes on, its images with it.
        var first = await BulkRunnerTests.CollectAsync(new WaitingClient(host, transport, waits: false).RunBulkAsync(inputs, options));
        Assert.All(first, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        var batch = Assert.Single(reported);
        Assert.Equal(host.Uploads.Select(u => u.Key).Order(StringComparer.Ordinal), batch.ImageKeys.Order(StringComparer.Ordinal));
        Assert.Equal(2, batch.ImageKeys.Count);
        Assert.Empty(host.Deleted);

        // A new process resumes: its client never published them, and deletes them as the job is seen ended.
        var second = await BulkRunnerTests.CollectAsync(new WaitingClient(host, transport, waits: true).RunBulkAsync(inputs, new TryOnBulkOptions { SubmittedBatches = [batch] }));
        Assert.All(second, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.Equal(batch.ImageKeys.Order(StringComparer.Ordinal), host.Deleted.Order(StringComparer.Ordinal));

        // With cleanup off, a resumed run leaves them, as the client that published them would have.
        var keeping = new WaitingClient(host, transport, waits: true, TryOnImageCleanup.Keep);
        await BulkRunnerTests.CollectAsync(keeping.RunBulkAsync(inputs, new TryOnBulkOptions { SubmittedBatches = [batch] }));
        Assert.Equal(2, host.Deleted.Count);
    }

    [Fact]
    public void A_resumed_batch_naming_a_key_the_client_does_not_publish_under_is_refused()
    {
        var client = Client(_ => null);
        const string Published = "0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.webp";

        var error = Assert.Throws<ArgumentException>("options", () => client.RunBulkAsync(Inputs[..2], new TryOnBulkOptions { SubmittedBatches = [new TryOnBulkBatch("rk", [0]) { ImageKeys = [Published, "catalog/prices.png"] }] }));

        Assert.StartsWith("TryOnBulkOptions.SubmittedBatches[0].ImageKeys[1] is not a key", error.Message, StringComparison.Ordinal);
        Assert.Empty(client.Submitted);
    }

    /// <summary>A connected client whose wait either fails (a process that stops waiting) or is one query.</summary>
    private sealed class WaitingClient(RecordingImageHost host, HttpMessageHandler transport, bool waits, TryOnImageCleanup cleanup = TryOnImageCleanup.DeleteAfterCompletion)
        : TryOnClient(TestOptions.Create(o => { host.UseIn(o); o.Images.Cleanup = cleanup; }), transport)
    {
        public override Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
            waits ? QueryAsync(resultKey, cancellationToken) : throw new TryOnServiceException("The service is down.", new TryOnErrorDetails { Status = 503 });
    }

    private static TryOnException Refusal(string code)
    {
        var details = new TryOnErrorDetails { Status = 400, ErrorCode = code };
        return code switch
        {
            "23500005" => new TryOnContentRejectedException("refused " + code, details),
            "23500006" => new TryOnImageUnreachableException("refused " + code, details),
            _ => new TryOnInvalidImageException("refused " + code, details),
        };
    }

    /// <summary>A client that refuses a submit with what <paramref name="refuse"/> says, or creates a job that succeeds.</summary>
    private static BulkRunnerTests.ScriptedClient Client(Func<IReadOnlyList<TryOnTask>, Exception?> refuse)
    {
        var jobs = 0;
        return new BulkRunnerTests.ScriptedClient
        {
            Submit = (tasks, _) => refuse(tasks) is { } refusal
                ? Task.FromException<TryOnJob>(refusal)
                : Task.FromResult(Job($"rk-{Interlocked.Increment(ref jobs)}", tasks.Count, "WAITING")),
            Wait = (key, _, _) => Task.FromResult(Job(key, 10, "SUCCESS")),
        };
    }

    private static TryOnJob Job(string resultKey, int tasks, string status) => new(
        resultKey,
        [.. Enumerable.Range(0, tasks).Select(i => new TryOnTaskResult(i, (TryOnTaskStatus)status, status == "SUCCESS" ? [new Uri($"https://r.test/{resultKey}/{i}.png")] : []))]);
}
