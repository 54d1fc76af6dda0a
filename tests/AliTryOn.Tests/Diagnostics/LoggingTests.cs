using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.Diagnostics;

/// <summary>The client's logs: stable event ids, structured values, image URLs only at Debug, no secret at any level.</summary>
public class LoggingTests
{
    private readonly ObservedFakeTimeProvider _time = new();

    [Fact]
    public async Task An_accepted_submit_is_logged_with_result_key_task_count_and_request_id_and_no_image_url_above_debug()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Information };
        var client = Client(logs, Answers.Job("rk-1", "WAITING", "WAITING"));

        await client.SubmitAsync([TestOptions.Task(1), TestOptions.Task(2)]);

        var accepted = Assert.Single(logs.WithId(1100));
        Assert.Equal(LogLevel.Information, accepted.Level);
        Assert.Equal("AliTryOn", accepted.Category);
        Assert.Equal("SubmitAccepted", accepted.EventId.Name);
        Assert.Equal("rk-1", accepted["ResultKey"]);
        Assert.Equal(2, accepted["TaskCount"]);
        Assert.Equal("req-rk-1", accepted["RequestId"]);
        Assert.Empty(logs.WithId(1101));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("img.example.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Image_urls_of_each_task_are_logged_at_debug()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Debug };
        var client = Client(logs, Answers.Job("rk-1", "WAITING", "WAITING"));

        await client.SubmitAsync([TestOptions.Task(1), TestOptions.Task(2)]);

        var tasks = logs.WithId(1101);
        Assert.Equal([0, 1], tasks.Select(t => t["TaskIndex"]));
        Assert.All(tasks, t => Assert.Equal(LogLevel.Debug, t.Level));
        Assert.Equal(new Uri("https://img.example.test/model-2.png"), tasks[1]["ModelImageUrl"]);
        Assert.Equal(new Uri("https://img.example.test/top-2.png"), tasks[1]["UpperUrl"]);
    }

    [Fact]
    public async Task A_wait_logs_each_change_of_statuses_once_and_its_completion_with_the_query_count()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Information };
        var client = Client(
            logs,
            Answers.Job("rk-1", "WAITING", "WAITING"),
            Answers.Job("rk-1", "RUNNING", "WAITING"),
            Answers.Job("rk-1", "RUNNING", "WAITING"),
            Answers.Job("rk-1", "SUCCESS", "FAILED"));

        await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(1));

        Assert.Equal(
            ["WAITING, WAITING", "RUNNING, WAITING", "SUCCESS, FAILED"],
            logs.WithId(1110).Select(e => e["Statuses"]));
        var completed = Assert.Single(logs.WithId(1111));
        Assert.Equal(("rk-1", 1, 1, 4), (completed["ResultKey"], completed["Succeeded"], completed["Failed"], completed["PollCount"]));
    }

    [Fact]
    public async Task Each_retry_is_logged_with_operation_attempt_delay_and_reason()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Information };
        var client = Client(logs, Answers.Throttled(), Answers.Throttled(), Answers.Job("rk-1", "RUNNING"));

        await client.QueryAsync("rk-1");

        var retries = logs.WithId(1120);
        Assert.Equal([1, 2], retries.Select(r => r["Attempt"]));
        Assert.All(retries, r =>
        {
            Assert.Equal(LogLevel.Warning, r.Level);
            Assert.Equal("query", r["Operation"]);
            Assert.Equal("throttled", r["Reason"]);
            Assert.Equal(0d, r["DelayMilliseconds"]); // the server's Retry-After: 0
        });
    }

    [Fact]
    public async Task A_final_failure_is_logged_with_type_status_code_request_id_and_exception()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Information };
        var client = Client(logs, Answers.Error(HttpStatusCode.Unauthorized, "23500001", "Authorization required"));

        var thrown = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.QueryAsync("rk-1"));

        var failed = Assert.Single(logs.WithId(1130));
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal(("query", "TryOnAuthenticationException", 401, "23500001", "req-err"), (failed["Operation"], failed["ErrorType"], failed["Status"], failed["ErrorCode"], failed["RequestId"]));
        Assert.Same(thrown, failed.Exception);
    }

    [Fact]
    public async Task A_submit_with_an_unknown_outcome_is_logged_as_an_error_with_its_cause_not_its_nonce()
    {
        var logs = new CapturingLoggerProvider();
        var client = Client(logs, Answers.Error(HttpStatusCode.InternalServerError, "23500000", "Internal server error"));

        var thrown = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));

        var unknown = Assert.Single(logs.WithId(1131));
        Assert.Equal(LogLevel.Error, unknown.Level);
        Assert.Equal("req-err", unknown["RequestId"]);
        Assert.Equal("TryOnServiceException", unknown["FailureType"]);
        Assert.Same(thrown.InnerException, unknown.Exception);
        Assert.NotNull(thrown.Nonce);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(thrown.Nonce!, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(logs.WithId(1130)); // one entry per failure
    }

    [Fact]
    public async Task A_wait_that_runs_out_of_time_is_logged_with_the_key_and_query_count()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Information };
        var client = Client(logs, o => o.Polling.Timeout = TimeSpan.FromSeconds(5), Answers.Job("rk-1", "RUNNING"));

        await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() => FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(1)));

        var timedOut = Assert.Single(logs.WithId(1112));
        Assert.Equal(LogLevel.Warning, timedOut.Level);
        Assert.Equal("rk-1", timedOut["ResultKey"]);
        Assert.Equal(TimeSpan.FromSeconds(5), timedOut["Timeout"]);
        Assert.Equal(5, timedOut["PollCount"]); // at 1, 2, 3, 4 and on the deadline, 5 s
    }

    [Fact]
    public async Task At_trace_level_no_entry_reveals_the_appcode_or_any_nonce()
    {
        var logs = new CapturingLoggerProvider();
        var transport = Answers.InOrder(
            _time,
            Answers.Throttled(),
            Answers.Job("rk-1", "WAITING"),
            Answers.Job("rk-1", "SUCCESS"),
            Answers.Error(HttpStatusCode.InternalServerError, "23500000", "Internal server error"),
            Answers.Error(HttpStatusCode.Unauthorized, "23500001", "Authorization required"));
        var client = new TryOnClient(TestOptions.Create(), transport, _time, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));

        await FakeClock.RunAsync(_time, client.SubmitAndWaitAsync(TestOptions.Task()), TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));
        await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.QueryAsync("rk-1"));

        var nonces = transport.Requests.SelectMany(r => r.Header("X-Ca-Nonce")).ToArray();
        Assert.Equal(5, nonces.Length);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1101); // Trace level really logged everything
        var text = string.Join("\n", logs.Messages);
        Assert.DoesNotContain(TestOptions.AppCode, text, StringComparison.OrdinalIgnoreCase);
        Assert.All(nonces, nonce => Assert.DoesNotContain(nonce, text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_failed_query_the_wait_rides_out_is_logged_with_how_many_in_a_row_it_tolerates()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Warning };
        var client = Client(
            logs,
            o => o.Retry.MaxRetries = 0,
            Answers.Job("rk-1", "RUNNING"),
            () => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html"),
            Answers.Job("rk-1", "SUCCESS"));

        await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(1));

        var failed = Assert.Single(logs.WithId(1113));
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal(("rk-1", 1, 3, "TryOnServiceException"), (failed["ResultKey"], failed["Failures"], failed["Tolerated"], failed["ErrorType"]));
    }

    [Theory]
    [InlineData("download", "http_503")]
    [InlineData("query", "service_error")]
    public async Task A_retry_is_logged_with_its_operation_attempt_and_reason(string operation, string reason)
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Warning };
        var client = Client(
            logs,
            () => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html"),
            operation == "download" ? () => Downloads.StorageAnswers.Ok(Downloads.StorageAnswers.Image(10)) : Answers.Job("rk-1", "RUNNING"));

        Task call = operation == "download"
            ? client.DownloadResultAsync(new Uri(Downloads.StorageAnswers.Link), Stream.Null)
            : client.QueryAsync("rk-1");
        Assert.True(await FakeClock.RunAsync(_time, call.ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default), TimeSpan.FromMinutes(1)));

        var retry = Assert.Single(logs.WithId(1120));
        Assert.Equal((operation, 1, reason), (retry["Operation"], retry["Attempt"], retry["Reason"]));
    }

    [Fact]
    public async Task An_attempt_that_timed_out_is_retried_and_logged_as_a_timeout()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Warning };
        var client = Client(logs, () => null!, Answers.Job("rk-1", "RUNNING")); // the first attempt never answers

        var job = await FakeClock.RunAsync(_time, client.QueryAsync("rk-1"), TimeSpan.FromMinutes(2));

        Assert.Equal("rk-1", job.ResultKey);
        var retry = Assert.Single(logs.WithId(1120));
        Assert.Equal(("query", "timeout"), (retry["Operation"], retry["Reason"]));
    }

    [Fact]
    public async Task A_submit_and_wait_whose_progress_callback_fails_logs_the_jobs_key_to_wait_for_it_again()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Information };
        var client = Client(logs, Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "RUNNING"));
        var progress = new ThrowingProgress();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FakeClock.RunAsync(
            _time, client.SubmitAndWaitAsync(TestOptions.Task(), new TryOnWaitOptions { Progress = progress }), TimeSpan.FromMinutes(1)));

        var notWaited = Assert.Single(logs.WithId(1114));
        Assert.Equal(LogLevel.Warning, notWaited.Level);
        Assert.Equal("rk-1", notWaited["ResultKey"]);
        Assert.Equal(nameof(InvalidOperationException), notWaited["ErrorType"]);
        Assert.Same(error, notWaited.Exception);
    }

    /// <summary>A caller's progress callback that fails on its first report.</summary>
    private sealed class ThrowingProgress : IProgress<TryOnJob>
    {
        public void Report(TryOnJob value) => throw new InvalidOperationException("the caller's own bug");
    }

    private TryOnClient Client(CapturingLoggerProvider logs, params Func<HttpResponseMessage>[] answers) => Client(logs, _ => { }, answers);

    private TryOnClient Client(CapturingLoggerProvider logs, Action<TryOnClientOptions> configure, params Func<HttpResponseMessage>[] answers) => new(
        TestOptions.Create(o => { o.Polling.JitterRatio = 0; configure(o); }),
        Answers.InOrder(_time, answers),
        _time,
        LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
}
