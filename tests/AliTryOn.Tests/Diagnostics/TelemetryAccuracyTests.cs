using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.Diagnostics;

/// <summary>
/// What the metrics, spans and error details say matches what happened: one measurement per call, the time a wait
/// really took, the status the service answered, the documented spellings, and no signed link in an error's excerpt.
/// </summary>
public sealed class TelemetryAccuracyTests
{
    private readonly ObservedFakeTimeProvider _time = new();
    private readonly CapturingLoggerProvider _logs = new();
    private RecordingHandler? _transport;

    [Fact]
    public async Task A_timed_out_wait_records_the_time_it_took_not_its_limit()
    {
        var (provider, metrics) = Build(
            o =>
            {
                o.Polling.InitialDelay = TimeSpan.FromSeconds(30);
                o.Polling.MaxDelay = TimeSpan.FromSeconds(30);
                o.Polling.Timeout = TimeSpan.FromSeconds(60);
            },
            (_, _) => null); // every query hangs, until the wait's limit abandons it
        await using var _ = provider;
        using var __ = metrics;
        var startedAt = _time.GetUtcNow();

        await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() => FakeClock.RunAsync(_time, provider.GetRequiredService<TryOnClient>().WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(10)));

        var took = (_time.GetUtcNow() - startedAt).TotalSeconds;
        Assert.True(took > 60, $"the wait took {took} s");
        var wait = Assert.Single(metrics.Of("alitryon.client.operation.duration"), m => (string?)m["alitryon.operation"] == "wait");
        Assert.Equal("wait_timeout", wait["alitryon.outcome"]);
        Assert.Equal(took, wait.Value, 3);
    }

    [Fact]
    public async Task A_query_cancelled_while_its_jobs_images_are_deleted_returns_the_job_recorded_once_and_the_images_left_go_later()
    {
        var host = new BlockingDeleteHost();
        var (provider, metrics) = Build(
            null,
            (_, i) => RecordingHandler.Response(HttpStatusCode.OK, i == 0 ? Json.Job("rk-1", "WAITING") : Json.Job("rk-1", "SUCCESS")),
            host);
        await using var _ = provider;
        using var __ = metrics;
        using var activities = new ActivityCapture();
        var client = provider.GetRequiredService<TryOnClient>();
        var job = await client.SubmitAsync([new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "model.png"), new GarmentImage(TryOnImage.FromBytes(TestImages.Png(700, 800), "image/png", "coat.png"), GarmentKind.FlatLay))]);
        using var cancel = new CancellationTokenSource();

        var query = client.QueryAsync(job.ResultKey, cancel.Token);
        await host.DeleteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();
        var seen = await query.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(seen.HasCompleted);
        var queries = metrics.Of("alitryon.client.operation.duration").Where(m => (string?)m["alitryon.operation"] == "query").ToArray();
        Assert.Equal(["success"], queries.Select(m => (string?)m["alitryon.outcome"]));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Unset, activities.Single("TryOn query").Status);

        // The images the cancelled deletion left are deleted when the job is seen ended again.
        host.Block = false;
        await client.QueryAsync(job.ResultKey);
        Assert.Equal(2, host.Deleted.Count);
        Assert.Equal(host.Published.Order(StringComparer.Ordinal), host.Deleted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Task_status_tags_are_the_documented_spellings_whatever_the_service_sends()
    {
        var (provider, metrics) = Build(null, (_, i) => RecordingHandler.Response(HttpStatusCode.OK, i == 0 ? Json.Job("rk-1", "WAITING", "WAITING") : Json.Job("rk-1", "Success", "failed")));
        await using var _ = provider;
        using var __ = metrics;
        using var activities = new ActivityCapture();

        var job = await FakeClock.RunAsync(_time, provider.GetRequiredService<TryOnClient>().SubmitAndWaitAsync([TestOptions.Task(1), TestOptions.Task(2)]), TimeSpan.FromMinutes(1));

        Assert.Equal(["Success", "failed"], job.Tasks.Select(t => t.Status.Value)); // the job keeps the service's spelling
        Assert.Equal(["FAILED", "SUCCESS"], metrics.Of("alitryon.job.tasks").Select(m => (string?)m["alitryon.task.status"]).Order(StringComparer.Ordinal));
        Assert.Equal(["SUCCESS", "FAILED"], (string[])activities.Single("TryOn wait").GetTagItem("alitryon.task_statuses")!);
    }

    [Fact]
    public async Task A_calls_span_has_the_status_the_service_answered()
    {
        var (provider, metrics) = Build(null, (_, _) => RecordingHandler.Response(HttpStatusCode.Accepted, Json.Job("rk-1", "WAITING")));
        await using var _ = provider;
        using var __ = metrics;
        using var activities = new ActivityCapture();

        await provider.GetRequiredService<TryOnClient>().SubmitAsync([TestOptions.Task(1)]);

        Assert.Equal(202, activities.Single("TryOn submit").GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Submit_and_wait_records_the_finished_job_when_the_callers_progress_throws_on_it()
    {
        var (provider, metrics) = Build(null, (_, i) => RecordingHandler.Response(HttpStatusCode.OK, i < 2 ? Json.Job("rk-1", "WAITING") : Json.Job("rk-1", "SUCCESS")));
        await using var _ = provider;
        using var __ = metrics;

        var wait = provider.GetRequiredService<TryOnClient>().SubmitAndWaitAsync([TestOptions.Task(1)], new TryOnWaitOptions { Progress = new ThrowingOnFinish() });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FakeClock.RunAsync(_time, wait, TimeSpan.FromMinutes(1)));

        Assert.Equal("progress failed", error.Message);
        Assert.Single(metrics.Of("alitryon.job.duration"));
        Assert.Equal("SUCCESS", Assert.Single(metrics.Of("alitryon.job.tasks"))["alitryon.task.status"]);
    }

    [Fact]
    public async Task An_unreadable_answer_keeps_no_signed_link_in_its_excerpt()
    {
        const string Body = """{"code":0,"data":{"task_list":[{"model_image":"https://bucket.example.test/a.png?X-Amz-Credential=AKIAEXAMPLE%2F20261204&X-Amz-Signature=SECRETSIG0042","status":"WAITING"}]},"message":"success","requestId":"req-1","success":true}""";
        var (provider, metrics) = Build(null, (_, _) => RecordingHandler.Response(HttpStatusCode.OK, Body));
        await using var _ = provider;
        using var __ = metrics;

        var unknown = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync([TestOptions.Task(1)]));

        Exception? error = unknown;
        for (; error is not null; error = error.InnerException)
        {
            var details = (error as TryOnException)?.Details;
            Assert.DoesNotContain("SECRETSIG0042", details?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("AKIAEXAMPLE", details?.RawBody ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRETSIG0042", error.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("https://bucket.example.test/a.png?***", unknown.Details.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submit_cancelled_after_it_was_sent_logs_that_a_job_may_be_billed()
    {
        var (provider, metrics) = Build(null, (_, _) => null); // the service never answers
        await using var _ = provider;
        using var __ = metrics;
        using var cancel = new CancellationTokenSource();

        var submit = provider.GetRequiredService<TryOnClient>().SubmitAsync([TestOptions.Task(1)], cancel.Token);
        await FakeClock.SettleAsync(submit, () => _transport?.Requests.Count == 1);
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => submit.WaitAsync(TimeSpan.FromSeconds(30))); // no timer: it ends at once

        Assert.True(error.MayHaveCreatedJob);
        var logged = Assert.Single(_logs.WithId(1132));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal("cancelled", Assert.Single(metrics.Of("alitryon.client.operation.duration"))["alitryon.outcome"]);
    }

    [Fact]
    public async Task A_failed_querys_span_names_the_job_queried()
    {
        var (provider, metrics) = Build(null, (_, _) => RecordingHandler.Response(HttpStatusCode.BadRequest, """{"code":23500008,"message":"No records found related to the specified resultKey parameter","success":false}"""));
        await using var _ = provider;
        using var __ = metrics;
        using var activities = new ActivityCapture();

        await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => provider.GetRequiredService<TryOnClient>().QueryAsync("rk-9"));

        var span = activities.Single("TryOn query");
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
        Assert.Equal("rk-9", span.GetTagItem("alitryon.result_key"));
        Assert.Empty(_logs.WithId(1132));
    }

    private (ServiceProvider Provider, MeasurementCapture Metrics) Build(Action<TryOnClientOptions>? configure, Func<RecordedRequest, int, HttpResponseMessage?> respond, TryOnImageHost? host = null)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(_time);
        if (host is not null)
        {
            services.AddSingleton(host);
        }

        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
            o.Polling.JitterRatio = 0;
            configure?.Invoke(o);
        }).ConfigurePrimaryHttpMessageHandler(() => _transport = new RecordingHandler(respond) { Clock = _time });
        var provider = services.BuildServiceProvider();
        return (provider, new MeasurementCapture(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
    }

    private sealed class ThrowingOnFinish : IProgress<TryOnJob>
    {
        public void Report(TryOnJob value)
        {
            if (value.HasCompleted)
            {
                throw new InvalidOperationException("progress failed");
            }
        }
    }

    /// <summary>An image host whose deletions wait until cancelled while <see cref="Block"/> is set.</summary>
    private sealed class BlockingDeleteHost : TryOnImageHost
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _published = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _deleted = new();

        public TaskCompletionSource DeleteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Block { get; set; } = true;

        public IReadOnlyList<string> Published => [.. _published];

        public IReadOnlyList<string> Deleted => [.. _deleted];

        public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
        {
            _published.Enqueue(image.Key);
            return Task.FromResult(new Uri("https://bucket.example.test/" + image.Key + "?X-Amz-Signature=SECRETSIG123"));
        }

        public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            if (Block)
            {
                DeleteStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            _deleted.Enqueue(key);
        }
    }
}
