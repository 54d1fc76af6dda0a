using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Bulk;

/// <summary>
/// The records a bulk run hands its caller around each submit: <see cref="TryOnBulkOptions.OnBatchSubmitting"/> before
/// it is sent, then exactly one of <see cref="TryOnBulkOptions.OnBatchSubmitted"/> (a job may exist) or
/// <see cref="TryOnBulkOptions.OnBatchNotSubmitted"/> (none does), on a client whose submit is scripted.
/// </summary>
public sealed class BulkRecordTests
{
    private static readonly TryOnTask[] Inputs = [.. Enumerable.Range(0, 12).Select(i => TestOptions.Task(i))];

    public static TheoryData<string, Func<CancellationToken, Exception>, string> Endings => new()
    {
        { "accepted", _ => null!, "submitted rk" },
        { "refused (quota)", _ => new TryOnQuotaExceededException("quota", new TryOnErrorDetails { Status = 403, ErrorCode = "23500002" }), "not submitted -" },
        { "refused (throttled past the retries)", _ => new TryOnThrottledException("throttled", new TryOnErrorDetails { Status = 429 }), "not submitted -" },
        { "refused by a check (argument)", _ => new ArgumentException("tasks[0] is bad"), "not submitted -" },
        { "outcome unknown", _ => new TryOnSubmitOutcomeUnknownException("no answer"), "submitted -" },
        { "outcome unknown, answer named the job", _ => new TryOnSubmitOutcomeUnknownException("unreadable") { ResultKey = "rk-named" }, "submitted rk-named" },
        { "a failure the client does not classify", _ => new InvalidOperationException("a handler of the application failed"), "submitted -" },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task Each_batch_is_recorded_before_it_is_sent_then_resolved_once(string ending, Func<CancellationToken, Exception> failure, string resolution)
    {
        var journal = new List<string>();
        var client = new BulkRunnerTests.ScriptedClient
        {
            Submit = (tasks, token) =>
            {
                journal.Add("sent " + Indices(tasks));
                return failure(token) is { } error ? throw error : Task.FromResult(Job("rk", "SUCCESS", "SUCCESS"));
            },
            Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS", "SUCCESS")),
        };

        await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], Recording(journal)));

        Assert.True(
            journal.SequenceEqual(["submitting - 0,1", "sent 0,1", $"{resolution} 0,1"]),
            $"{ending}: {string.Join(" | ", journal)}");
    }

    [Theory]
    [InlineData(false, "not submitted -")]
    [InlineData(true, "submitted -")]
    public async Task A_submit_cancelled_with_the_run_is_resolved_by_whether_it_was_sent(bool sent, string resolution)
    {
        using var cancellation = new CancellationTokenSource();
        var journal = new List<string>();
        var client = new BulkRunnerTests.ScriptedClient
        {
            Submit = (tasks, _) =>
            {
                journal.Add("sent " + Indices(tasks));
                cancellation.Cancel(); // Ctrl+C while the submit is out, before or after its request left
                throw new TryOnSubmitCanceledException("cancelled", mayHaveCreatedJob: sent, cancellation.Token);
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], Recording(journal), cancellation.Token)));

        Assert.Equal(["submitting - 0,1", "sent 0,1", $"{resolution} 0,1"], journal);
    }

    [Fact]
    public async Task A_batch_split_after_an_image_refusal_is_resolved_then_each_part_is_recorded_before_it_is_sent()
    {
        var journal = new List<string>();
        var client = new BulkRunnerTests.ScriptedClient
        {
            Submit = (tasks, _) =>
            {
                journal.Add("sent " + Indices(tasks));
                return tasks.Contains(Inputs[2])
                    ? throw new TryOnInvalidImageException("refused", new TryOnErrorDetails { Status = 400, ErrorCode = "23500007" })
                    : Task.FromResult(Job("rk" + Indices(tasks), [.. tasks.Select(_ => "SUCCESS")]));
            },
            Wait = (key, _, _) => throw new InvalidOperationException("unreachable: every job is final"),
        };

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..4], Recording(journal)));

        Assert.Equal(
            [
                "submitting - 0,1,2,3", "sent 0,1,2,3", "not submitted - 0,1,2,3",
                "submitting - 0,1", "sent 0,1", "submitted rk0,1 0,1",
                "submitting - 2,3", "sent 2,3", "not submitted - 2,3",
                "submitting - 2", "sent 2", "not submitted - 2",
                "submitting - 3", "sent 3", "submitted rk3 3",
            ],
            journal);
        Assert.Equal(TryOnBulkStatus.Failed, Assert.Single(outcomes, o => o.InputIndex == 2).Status);
    }

    [Fact]
    public async Task A_local_image_refused_before_sending_resolves_its_batch_and_the_rest_is_recorded_again()
    {
        var journal = new List<string>();
        var client = new BulkRunnerTests.ScriptedClient
        {
            Submit = (tasks, _) =>
            {
                journal.Add("sent " + Indices(tasks));
                var refused = Array.IndexOf([.. tasks], Inputs[1]);
                return refused >= 0
                    ? throw new TryOnImageCheckException(refused, TryOnImageSlot.ModelImage, "photos/bob.jpg", TryOnImageProblem.Unreadable, "the file was not found")
                    : Task.FromResult(Job("rk", "SUCCESS", "SUCCESS"));
            },
        };

        var outcomes = await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..3], Recording(journal)));

        Assert.Equal(["submitting - 0,1,2", "sent 0,1,2", "not submitted - 0,1,2", "submitting - 0,2", "sent 0,2", "submitted rk 0,2"], journal);
        var refused = Assert.Single(outcomes, o => o.InputIndex == 1);
        Assert.Equal(TryOnBulkStatus.Failed, refused.Status);
        var error = Assert.IsType<TryOnImageCheckException>(refused.Error);
        Assert.Equal((1, "tasks", "tasks[1].ModelImage: the file was not found"), (error.TaskIndex, error.ParamName, error.Message.Split(" (Parameter")[0]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_record_that_fails_stops_the_run_and_reaches_the_caller_and_nothing_is_sent_after_it(bool beforeSending)
    {
        var client = new BulkRunnerTests.ScriptedClient { Submit = (_, _) => throw new TryOnQuotaExceededException("quota") };
        var failure = new IOException("the disk is full");
        Func<TryOnBulkBatch, CancellationToken, Task> fails = (_, _) => throw failure;
        var options = new TryOnBulkOptions
        {
            BatchSize = 1,
            MaxConcurrentBatches = 1,
            OnBatchSubmitting = beforeSending ? fails : null,
            OnBatchNotSubmitted = beforeSending ? null : fails,
        };

        var thrown = await Assert.ThrowsAsync<IOException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..3], options)));

        Assert.Same(failure, thrown);
        Assert.Equal(beforeSending ? 0 : 1, client.Submitted.Count);
    }

    [Theory]
    [InlineData("a break", "the disk is full")]
    [InlineData("a break", "the store timed out")] // a cancellation of its own, not the run's
    [InlineData("the loop's own exception", "the disk is full")] // which the run cannot see, and replaces
    public async Task A_record_that_fails_as_the_consumer_leaves_the_run_reaches_the_consumer(string leaving, string recordFailure)
    {
        // Batch 0 finishes at once; batch 1's submit is out when the consumer leaves, and its record then fails.
        Exception failure = recordFailure == "the store timed out" ? new TaskCanceledException("the store's HttpClient.Timeout elapsed") : new IOException(recordFailure);
        var options = new TryOnBulkOptions
        {
            BatchSize = 1,
            OnBatchSubmitted = (batch, _) => batch.InputIndices[0] == 1 ? throw failure : Task.CompletedTask,
        };

        var thrown = await Record.ExceptionAsync(async () =>
        {
            await foreach (var outcome in SlowSecondSubmit().RunBulkAsync(Inputs[..2], options))
            {
                Assert.Equal(0, outcome.InputIndex);
                if (leaving == "the loop's own exception")
                {
                    throw new InvalidOperationException("the consumer's own failure");
                }

                break;
            }
        });

        Assert.Same(failure, thrown); // a job that may be unrecorded is not left unsaid
    }

    [Fact]
    public async Task A_record_that_fails_as_a_cancelled_run_stops_reaches_the_caller_in_place_of_the_cancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var failures = new[] { new IOException("the disk is full"), new IOException("the disk is still full") };
        var sending = 0;
        var bothOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new BulkRunnerTests.ScriptedClient
        {
            Submit = async (tasks, token) =>
            {
                if (tasks[0] == Inputs[0])
                {
                    return Job("rk-0", "RUNNING");
                }

                if (Interlocked.Increment(ref sending) == 2)
                {
                    bothOut.TrySetResult();
                }

                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("unreachable");
            },
            Wait = async (_, _, token) =>
            {
                // Batch 0 is waited for when the run is cancelled, with the other two out: its cancellation is the first to end the run.
                await bothOut.Task;
                await cancellation.CancelAsync();
                token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("unreachable");
            },
        };
        var options = new TryOnBulkOptions
        {
            BatchSize = 1,
            MaxConcurrentBatches = 3,
            OnBatchSubmitted = async (batch, _) =>
            {
                // The records of the batches cancelled while sending come after batch 0's cancellation was seen.
                await Task.Yield();
                if (batch.InputIndices[0] > 0)
                {
                    throw failures[batch.InputIndices[0] - 1];
                }
            },
        };

        // The first of them, as await gives the first of several failures.
        var thrown = await Assert.ThrowsAsync<IOException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..3], options, cancellation.Token)));

        Assert.Contains(thrown, failures);
    }

    [Theory]
    [InlineData("the disk is full")]
    [InlineData("the store timed out")] // a cancellation of its own, not the run's
    public async Task The_record_failure_that_stopped_the_run_stays_the_one_thrown_when_another_record_fails_as_the_run_stops(string firstFailure)
    {
        // Batch 0's record fails and stops the run; batch 1's, cancelled while its submit is out, then fails too.
        Exception first = firstFailure == "the store timed out" ? new TaskCanceledException("the store's HttpClient.Timeout elapsed") : new IOException(firstFailure);
        var second = new IOException("the disk is still full");
        var options = new TryOnBulkOptions
        {
            BatchSize = 1,
            OnBatchSubmitted = (batch, _) => throw (batch.InputIndices[0] == 0 ? first : second),
        };

        var thrown = await Record.ExceptionAsync(() => BulkRunnerTests.CollectAsync(SlowSecondSubmit().RunBulkAsync(Inputs[..2], options)));

        Assert.Same(first, thrown);
    }

    /// <summary>Input 0's submit is answered at once; the others' only when the run stops them, with a job.</summary>
    private static BulkRunnerTests.ScriptedClient SlowSecondSubmit() => new()
    {
        Submit = async (tasks, token) =>
        {
            if (tasks[0] != Inputs[0])
            {
                // Sent: cancelled, the submit may have created a job, so it is recorded.
                await Task.Delay(Timeout.Infinite, token).ContinueWith(static _ => { }, TaskScheduler.Default);
                throw new TryOnSubmitCanceledException("cancelled", mayHaveCreatedJob: true, token);
            }

            return Job("rk-0", "SUCCESS");
        },
        Wait = (key, _, _) => Task.FromResult(Job(key, "SUCCESS")),
    };

    [Fact]
    public async Task The_records_are_given_a_token_the_run_never_cancels()
    {
        using var cancellation = new CancellationTokenSource();
        var tokens = new List<CancellationToken>();
        var client = new BulkRunnerTests.ScriptedClient
        {
            Submit = (_, token) =>
            {
                cancellation.Cancel();
                throw new TryOnSubmitCanceledException("cancelled", mayHaveCreatedJob: false, token);
            },
        };
        var options = new TryOnBulkOptions
        {
            OnBatchSubmitting = (_, token) => Add(token),
            OnBatchNotSubmitted = (_, token) => Add(token),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..1], options, cancellation.Token)));

        Assert.Equal(2, tokens.Count);
        Assert.All(tokens, token => Assert.False(token.CanBeCanceled));

        Task Add(CancellationToken token)
        {
            tokens.Add(token);
            return Task.CompletedTask;
        }
    }

    /// <summary>Options whose three records write to <paramref name="journal"/> (calls are one at a time).</summary>
    private static TryOnBulkOptions Recording(List<string> journal)
    {
        return new()
        {
            MaxConcurrentBatches = 1,
            OnBatchSubmitting = (batch, _) => Add("submitting", batch),
            OnBatchSubmitted = (batch, _) => Add("submitted", batch),
            OnBatchNotSubmitted = (batch, _) => Add("not submitted", batch),
        };

        Task Add(string record, TryOnBulkBatch batch)
        {
            journal.Add($"{record} {batch.ResultKey ?? "-"} {string.Join(",", batch.InputIndices)}");
            return Task.CompletedTask;
        }
    }

    private static string Indices(IEnumerable<TryOnTask> tasks) => string.Join(",", tasks.Select(t => Array.IndexOf(Inputs, t)));

    private static TryOnJob Job(string resultKey, params string[] statuses) => new(
        resultKey,
        [.. statuses.Select((status, i) => new TryOnTaskResult(
            i,
            (TryOnTaskStatus)status,
            status == "SUCCESS" ? [new Uri($"https://r.test/{resultKey}/{i}.png")] : []))]);
}
