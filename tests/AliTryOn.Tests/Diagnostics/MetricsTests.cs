using System.Diagnostics.Metrics;
using System.Net;
using AliTryOn.Tests.Bulk;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Tests.Diagnostics;

/// <summary>The <c>AliTryOn</c> meter, from the container's <see cref="IMeterFactory"/>: calls, retries, jobs and tasks.</summary>
public class MetricsTests
{
    private readonly ObservedFakeTimeProvider _time = new();

    [Fact]
    public async Task Submit_and_wait_records_each_call_the_job_duration_and_tasks_by_final_status()
    {
        var (provider, metrics) = Build(
            Answers.Job("rk-1", "WAITING", "WAITING"),
            Answers.Job("rk-1", "RUNNING", "WAITING"),
            Answers.Job("rk-1", "SUCCESS", "FAILED"));
        await using var _ = provider;
        using var __ = metrics;

        await FakeClock.RunAsync(_time, provider.GetRequiredService<TryOnClient>().SubmitAndWaitAsync([TestOptions.Task(1), TestOptions.Task(2)]), TimeSpan.FromMinutes(1));

        var calls = metrics.Of("alitryon.client.operation.duration");
        Assert.All(calls, c => Assert.Equal("s", c.Unit));
        Assert.Equal(
            ["submit success", "query success", "query success", "wait success"],
            calls.Select(c => $"{c["alitryon.operation"]} {c["alitryon.outcome"]}"));
        Assert.Equal(2, calls[^1].Value, 1); // the wait: two queries, 1 s apart, on the fake clock
        var job = Assert.Single(metrics.Of("alitryon.job.duration"));
        Assert.Equal(2, job.Value, 1);
        Assert.Equal(
            ["FAILED", "SUCCESS"],
            metrics.Of("alitryon.job.tasks").Select(t => (string)t["alitryon.task.status"]!).Order());
        Assert.All(metrics.Of("alitryon.job.tasks"), t => Assert.Equal(1, t.Value));
        Assert.Empty(metrics.Of("alitryon.client.retries"));
    }

    [Theory]
    [InlineData("a failed task, returned", null)]
    [InlineData("a failed task, thrown", typeof(TryOnJobFailedException))]
    [InlineData("a result link that cannot be used", typeof(TryOnInvalidResponseException))]
    public async Task Submit_and_wait_records_the_duration_of_a_job_whose_every_task_finished_also_when_it_throws_for_them(string ending, Type? thrown)
    {
        var last = ending == "a result link that cannot be used"
            ? () => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-1", "SUCCESS").Replace("https://results.example.test/0-a.png", "ftp://results.example.test/0-a.png", StringComparison.Ordinal))
            : Answers.Job("rk-1", "FAILED");
        var (provider, metrics) = Build(Answers.Job("rk-1", "WAITING"), last);
        await using var _ = provider;
        using var __ = metrics;

        var wait = provider.GetRequiredService<TryOnClient>().SubmitAndWaitAsync([TestOptions.Task(1)], new TryOnWaitOptions { ThrowOnFailedTasks = thrown is not null });
        var ended = await Record.ExceptionAsync(() => FakeClock.RunAsync(_time, wait, TimeSpan.FromMinutes(1)));

        Assert.Equal(thrown, ended?.GetType());
        Assert.Equal(1, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1); // every task finished, 1 s after the submit
        var task = Assert.Single(metrics.Of("alitryon.job.tasks")); // and its task is counted by the status it ended with
        Assert.Equal(thrown == typeof(TryOnInvalidResponseException) ? "SUCCESS" : "FAILED", task["alitryon.task.status"]);
        Assert.Equal(1, task.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_and_wait_counts_the_tasks_of_a_job_its_submit_found_already_finished(bool throwOnFailedTasks)
    {
        var (provider, metrics) = Build(Answers.Job("rk-1", "SUCCESS", "FAILED"));
        await using var _ = provider;
        using var __ = metrics;

        var ended = await Record.ExceptionAsync(() => provider.GetRequiredService<TryOnClient>().SubmitAndWaitAsync(
            [TestOptions.Task(1), TestOptions.Task(2)], new TryOnWaitOptions { ThrowOnFailedTasks = throwOnFailedTasks }));

        Assert.Equal(throwOnFailedTasks ? typeof(TryOnJobFailedException) : null, ended?.GetType());
        Assert.Equal(["FAILED", "SUCCESS"], metrics.Of("alitryon.job.tasks").Select(t => (string)t["alitryon.task.status"]!).Order());
        Assert.Equal(0, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1);
        Assert.Equal(["submit success"], metrics.Of("alitryon.client.operation.duration").Select(c => $"{c["alitryon.operation"]} {c["alitryon.outcome"]}"));
    }

    [Fact]
    public async Task An_operation_updated_by_hand_counts_its_tasks_once_when_it_sees_them_finished()
    {
        var (provider, metrics) = Build(
            Answers.Job("rk-1", "WAITING", "WAITING"),
            Answers.Job("rk-1", "SUCCESS", "RUNNING"),
            Answers.Job("rk-1", "SUCCESS", "FAILED"),
            Answers.Job("rk-1", "SUCCESS", "FAILED"),
            Answers.Job("rk-1", "SUCCESS", "FAILED"));
        await using var _ = provider;
        using var __ = metrics;
        var client = provider.GetRequiredService<TryOnClient>();

        var operation = await client.SubmitOperationAsync([TestOptions.Task(1), TestOptions.Task(2)]);
        while (!operation.HasCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await operation.UpdateStatusAsync();
        }

        await operation.UpdateStatusAsync(); // the same finished job again: not counted again
        await operation.WaitForCompletionAsync(); // completed: returns without a query, counts nothing

        Assert.Equal(["FAILED", "SUCCESS"], metrics.Of("alitryon.job.tasks").Select(t => (string)t["alitryon.task.status"]!).Order());
        Assert.Equal(4, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1);

        await new TryOnJobOperation(client, "rk-1").UpdateStatusAsync(); // rebuilt: it sees the tasks finished for itself
        Assert.Equal(4, metrics.Of("alitryon.job.tasks").Count);
        Assert.Single(metrics.Of("alitryon.job.duration")); // but knows no submit time
    }

    [Fact]
    public async Task An_operation_whose_waits_progress_throws_on_the_finished_job_still_counts_its_tasks_once()
    {
        var (provider, metrics) = Build(Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "SUCCESS"), Answers.Job("rk-1", "SUCCESS"));
        await using var _ = provider;
        using var __ = metrics;
        var operation = await provider.GetRequiredService<TryOnClient>().SubmitOperationAsync(TestOptions.Task());

        // The caller's own progress fails on the finished snapshot, before the wait could count the tasks.
        var wait = operation.WaitForCompletionAsync(new TryOnWaitOptions { Progress = new Progress(job => job.HasCompleted ? throw new InvalidOperationException("the caller's") : 0) });
        await Assert.ThrowsAsync<InvalidOperationException>(() => FakeClock.RunAsync(_time, wait, TimeSpan.FromMinutes(1)));

        // Recorded as the wait ended, not left to a later call that may never come; and not again by one that does.
        Assert.True(operation.HasCompleted);
        Assert.Equal("SUCCESS", Assert.Single(metrics.Of("alitryon.job.tasks"))["alitryon.task.status"]);
        Assert.Equal(1, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1);
        await operation.UpdateStatusAsync();
        Assert.Single(metrics.Of("alitryon.job.tasks"));
        Assert.Single(metrics.Of("alitryon.job.duration"));
    }

    [Fact]
    public async Task An_operation_whose_submit_found_its_job_finished_counts_its_tasks_once()
    {
        var (provider, metrics) = Build(Answers.Job("rk-1", "SUCCESS"), Answers.Job("rk-1", "SUCCESS"));
        await using var _ = provider;
        using var __ = metrics;

        var operation = await provider.GetRequiredService<TryOnClient>().SubmitOperationAsync(TestOptions.Task());
        await operation.UpdateStatusAsync();

        Assert.Equal("SUCCESS", Assert.Single(metrics.Of("alitryon.job.tasks"))["alitryon.task.status"]);
        Assert.Equal(0, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bulk_run_records_once_a_job_whose_wait_threw_after_every_task_finished(bool unusableLink)
    {
        var last = unusableLink
            ? () => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-1", "SUCCESS").Replace("https://results.example.test/0-a.png", "ftp://results.example.test/0-a.png", StringComparison.Ordinal))
            : Answers.Job("rk-1", "FAILED");
        var (provider, metrics) = Build(Answers.Job("rk-1", "WAITING"), last);
        await using var _ = provider;
        using var __ = metrics;

        // The wait throws for a link it cannot use, or for failed tasks when told to: every task finished all the same.
        var run = BulkRunnerTests.CollectAsync(provider.GetRequiredService<TryOnClient>().RunBulkAsync(
            [TestOptions.Task(1)], new TryOnBulkOptions { Wait = new TryOnWaitOptions { ThrowOnFailedTasks = !unusableLink } }));
        Assert.Single(await FakeClock.RunAsync(_time, run, TimeSpan.FromMinutes(1)));

        Assert.Single(metrics.Of("alitryon.job.duration"));
        Assert.Single(metrics.Of("alitryon.job.tasks")); // counted by the wait, not again by the run
    }

    [Fact]
    public async Task A_bulk_run_records_each_job_s_duration_and_tasks_whether_waited_for_or_found_finished_by_its_submit()
    {
        var (provider, metrics) = Build(
            Answers.Job("rk-1", "WAITING"),  // the first batch's submit
            Answers.Job("rk-1", "SUCCESS"),  // its wait's first query, 1 s later
            Answers.Job("rk-2", "FAILED"));  // the second batch's submit, answered finished: no wait
        await using var _ = provider;
        using var __ = metrics;
        var client = provider.GetRequiredService<TryOnClient>();

        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(
            [TestOptions.Task(1), TestOptions.Task(2)], new TryOnBulkOptions { BatchSize = 1, MaxConcurrentBatches = 1 }));
        var outcomes = await FakeClock.RunAsync(_time, run, TimeSpan.FromMinutes(1));

        Assert.Equal([TryOnBulkStatus.Succeeded, TryOnBulkStatus.Failed], outcomes.OrderBy(o => o.InputIndex).Select(o => o.Status));
        // One duration a job. Their values are not exact here: the driver moves the fake clock on while the run, with
        // no timer armed, goes from one batch to the next. The job waited for took at least its one-second poll.
        var durations = metrics.Of("alitryon.job.duration").Select(d => d.Value).ToArray();
        Assert.Equal(2, durations.Length);
        Assert.True(durations.Max() >= 1, string.Join(", ", durations));
        Assert.Equal(["FAILED", "SUCCESS"], metrics.Of("alitryon.job.tasks").Select(t => (string)t["alitryon.task.status"]!).Order());
    }

    [Fact]
    public async Task An_operation_records_its_queries_and_the_job_duration_once_when_it_sees_its_job_complete()
    {
        var (provider, metrics) = Build(
            Answers.Job("rk-1", "WAITING"),
            Answers.Job("rk-1", "RUNNING"),
            Answers.Job("rk-1", "SUCCESS"));
        await using var _ = provider;
        using var __ = metrics;
        var client = provider.GetRequiredService<TryOnClient>();

        var operation = await client.SubmitOperationAsync(TestOptions.Task());
        await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), TimeSpan.FromMinutes(1));
        Assert.Equal(2, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1); // recorded as the wait saw it end
        _time.Advance(TimeSpan.FromSeconds(5));
        await operation.UpdateStatusAsync();
        await new TryOnJobOperation(client, "rk-1").UpdateStatusAsync(); // rebuilt: its submit time is unknown

        Assert.Equal(
            ["submit success", "query success", "query success", "wait success", "query success", "query success"],
            metrics.Of("alitryon.client.operation.duration").Select(c => $"{c["alitryon.operation"]} {c["alitryon.outcome"]}"));
        Assert.Equal(2, Assert.Single(metrics.Of("alitryon.job.duration")).Value, 1);
        Assert.Equal(2, metrics.Of("alitryon.job.tasks").Count); // once by the operation's wait, once by the rebuilt one
    }

    [Fact]
    public async Task An_operation_whose_wait_throws_for_failed_tasks_counts_them_once()
    {
        var (provider, metrics) = Build(Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "FAILED"));
        await using var _ = provider;
        using var __ = metrics;
        var operation = await provider.GetRequiredService<TryOnClient>().SubmitOperationAsync(TestOptions.Task());

        var wait = operation.WaitForCompletionAsync(new TryOnWaitOptions { ThrowOnFailedTasks = true });
        await Assert.ThrowsAsync<TryOnJobFailedException>(() => FakeClock.RunAsync(_time, wait, TimeSpan.FromMinutes(1)));

        Assert.True(operation.HasCompleted);
        Assert.Equal("FAILED", Assert.Single(metrics.Of("alitryon.job.tasks"))["alitryon.task.status"]);
        Assert.Single(metrics.Of("alitryon.job.duration"));
    }

    [Fact]
    public async Task An_operation_updated_to_a_finished_job_with_an_unusable_link_counts_its_tasks()
    {
        var unusable = () => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-1", "SUCCESS").Replace("https://results.example.test/0-a.png", "ftp://results.example.test/0-a.png", StringComparison.Ordinal));
        var (provider, metrics) = Build(Answers.Job("rk-1", "WAITING"), unusable);
        await using var _ = provider;
        using var __ = metrics;
        var operation = await provider.GetRequiredService<TryOnClient>().SubmitOperationAsync(TestOptions.Task());

        await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => operation.UpdateStatusAsync());

        Assert.True(operation.HasCompleted);
        Assert.Equal("SUCCESS", Assert.Single(metrics.Of("alitryon.job.tasks"))["alitryon.task.status"]);
    }

    [Fact]
    public async Task Retries_are_counted_by_operation_and_reason()
    {
        var (provider, metrics) = Build(Answers.Throttled(), Answers.Throttled(), Answers.Job("rk-1", "RUNNING"));
        await using var _ = provider;
        using var __ = metrics;

        await provider.GetRequiredService<TryOnClient>().QueryAsync("rk-1");

        var retries = metrics.Of("alitryon.client.retries");
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Equal(("query", "throttled", 1d), (r["alitryon.operation"], r["alitryon.retry.reason"], r.Value)));
        Assert.Equal("success", Assert.Single(metrics.Of("alitryon.client.operation.duration"))["alitryon.outcome"]);
    }

    public static TheoryData<string, Func<HttpResponseMessage>, string> RetryReasons => new()
    {
        { "query", () => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html"), "service_error" },
        { "query", () => RecordingHandler.Response(HttpStatusCode.RequestTimeout, string.Empty), "http_408" },
        { "query", () => RecordingHandler.Response(HttpStatusCode.BadGateway, Json.Error("99999999", "new")), "http_502" },
        { "query", () => RecordingHandler.Response(HttpStatusCode.InternalServerError, Json.Error("99999999", "new")), "http_500" },
        { "query", () => throw new HttpRequestException("reset"), "connection_error" },
        { "submit", Answers.Throttled(), "throttled" },
    };

    [Theory]
    [MemberData(nameof(RetryReasons))]
    public async Task Each_retry_is_counted_with_why_it_was_made(string operation, Func<HttpResponseMessage> failure, string reason)
    {
        var (provider, metrics) = Build(failure, Answers.Job("rk-1", "RUNNING"));
        await using var _ = provider;
        using var __ = metrics;
        var client = provider.GetRequiredService<TryOnClient>();

        await FakeClock.RunAsync(_time, operation == "query" ? client.QueryAsync("rk-1") : client.SubmitAsync(TestOptions.Task()), TimeSpan.FromMinutes(1));

        var retry = Assert.Single(metrics.Of("alitryon.client.retries"));
        Assert.Equal((operation, reason, 1d), (retry["alitryon.operation"], retry["alitryon.retry.reason"], retry.Value));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "23500001", "authentication")]
    [InlineData(HttpStatusCode.Forbidden, "23500003", "quota_exceeded")]
    [InlineData(HttpStatusCode.NotFound, "23500008", "job_not_found")]
    public async Task A_failed_call_is_recorded_with_its_outcome(HttpStatusCode status, string code, string outcome)
    {
        var (provider, metrics) = Build(Answers.Error(status, code, "failed"));
        await using var _ = provider;
        using var __ = metrics;

        await Assert.ThrowsAnyAsync<TryOnException>(() => provider.GetRequiredService<TryOnClient>().QueryAsync("rk-1"));

        var call = Assert.Single(metrics.Of("alitryon.client.operation.duration"));
        Assert.Equal(("query", outcome), (call["alitryon.operation"], call["alitryon.outcome"]));
    }

    [Fact]
    public async Task A_wait_that_fails_is_recorded_with_the_failure_s_outcome()
    {
        var (provider, metrics) = Build(Answers.Error(HttpStatusCode.Unauthorized, "23500001", "Authorization required"));
        await using var _ = provider;
        using var __ = metrics;

        await Assert.ThrowsAsync<TryOnAuthenticationException>(() => FakeClock.RunAsync(_time, provider.GetRequiredService<TryOnClient>().WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(1)));

        Assert.Equal(
            ["query authentication", "wait authentication"],
            metrics.Of("alitryon.client.operation.duration").Select(c => $"{c["alitryon.operation"]} {c["alitryon.outcome"]}"));
    }

    [Fact]
    public async Task Each_container_has_its_own_instruments()
    {
        var (first, firstMetrics) = Build(Answers.Job("rk-1", "RUNNING"));
        var (second, secondMetrics) = Build(Answers.Job("rk-2", "RUNNING"));
        await using var _ = first;
        await using var __ = second;
        using var ___ = firstMetrics;
        using var ____ = secondMetrics;

        await first.GetRequiredService<TryOnClient>().QueryAsync("rk-1");

        Assert.Single(firstMetrics.Of("alitryon.client.operation.duration"));
        Assert.Empty(secondMetrics.Of("alitryon.client.operation.duration"));
    }

    [Fact]
    public async Task Clients_built_without_dependency_injection_share_one_meter_rather_than_leaving_one_each()
    {
        var first = new TryOnClient(TestOptions.Create(), Answers.InOrder(_time, Answers.Job("rk-1", "RUNNING")), _time);
        var second = new TryOnClient(TestOptions.Create(), Answers.InOrder(_time, Answers.Job("rk-2", "RUNNING")), _time);
        var meters = new HashSet<Meter>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "AliTryOn" && instrument.Meter.Scope is null && instrument.Name == "alitryon.client.operation.duration")
                {
                    lock (meters)
                    {
                        meters.Add(instrument.Meter);
                    }
                }
            },
        };
        listener.Start();

        await first.QueryAsync("rk-1");
        await second.QueryAsync("rk-2");

        // Every client of the process, in this test or any other, reports through the same meter.
        Assert.Single(meters);
    }

    private (ServiceProvider Provider, MeasurementCapture Metrics) Build(params Func<HttpResponseMessage>[] answers)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(_time);
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
            o.Polling.JitterRatio = 0;
        }).ConfigurePrimaryHttpMessageHandler(() => Answers.InOrder(_time, answers));
        var provider = services.BuildServiceProvider();
        return (provider, new MeasurementCapture(provider.GetRequiredService<IMeterFactory>()));
    }

    /// <summary>A progress that runs its callback inline, on the wait's thread, as the client reports.</summary>
    private sealed class Progress(Func<TryOnJob, int> report) : IProgress<TryOnJob>
    {
        public void Report(TryOnJob value) => report(value);
    }
}
