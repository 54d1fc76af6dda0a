using System.Diagnostics;
using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Diagnostics;

/// <summary>The <c>AliTryOn</c> activity source: spans for submit, query and wait, with OpenTelemetry's HTTP client attributes.</summary>
public class TracingTests
{
    private readonly ObservedFakeTimeProvider _time = new();

    [Fact]
    public async Task A_submit_is_a_client_span_with_http_attributes_the_result_key_and_the_request_id()
    {
        using var capture = new ActivityCapture();
        var client = Client(Answers.Job("rk-1", "WAITING", "WAITING"));

        await client.SubmitAsync([TestOptions.Task(1), TestOptions.Task(2)]);

        var span = capture.Single("TryOn submit");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("POST", span.GetTagItem("http.request.method"));
        Assert.Equal("tryon.example.test", span.GetTagItem("server.address"));
        Assert.Equal(443, span.GetTagItem("server.port"));
        Assert.Equal(TestOptions.SubmitUrl, span.GetTagItem("url.full"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("submit", span.GetTagItem("alitryon.operation"));
        Assert.Equal("rk-1", span.GetTagItem("alitryon.result_key"));
        Assert.Equal(2, span.GetTagItem("alitryon.task_count"));
        Assert.Equal("req-rk-1", span.GetTagItem("alitryon.request_id"));
    }

    [Fact]
    public async Task A_failed_call_marks_its_span_as_an_error_with_status_error_code_and_request_id()
    {
        using var capture = new ActivityCapture();
        var client = Client(Answers.Error(HttpStatusCode.Forbidden, "23500003", "User credit points are exhausted"));

        await Assert.ThrowsAsync<TryOnQuotaExceededException>(() => client.QueryAsync("rk-1"));

        var span = capture.Single("TryOn query");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("quota_exceeded", span.StatusDescription);
        Assert.Equal(403, span.GetTagItem("http.response.status_code"));
        Assert.Equal("23500003", span.GetTagItem("error.type"));
        Assert.Equal("23500003", span.GetTagItem("alitryon.error_code"));
        Assert.Equal("req-err", span.GetTagItem("alitryon.request_id"));
    }

    [Fact]
    public async Task A_wait_span_holds_its_queries_and_records_the_poll_count_and_final_statuses()
    {
        using var capture = new ActivityCapture();
        var client = Client(Answers.Job("rk-1", "RUNNING", "RUNNING"), Answers.Job("rk-1", "RUNNING", "RUNNING"), Answers.Job("rk-1", "SUCCESS", "FAILED"));

        await FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(1));

        var wait = capture.Single("TryOn wait");
        Assert.Equal(capture.Root.SpanId, wait.ParentSpanId);
        Assert.Equal(3, wait.GetTagItem("alitryon.poll_count"));
        Assert.Equal(["SUCCESS", "FAILED"], Assert.IsType<string[]>(wait.GetTagItem("alitryon.task_statuses")));
        Assert.Equal("rk-1", wait.GetTagItem("alitryon.result_key"));
        var queries = capture.Stopped.Where(a => a.DisplayName == "TryOn query").ToArray();
        Assert.Equal(3, queries.Length);
        Assert.All(queries, q => Assert.Equal(wait.SpanId, q.ParentSpanId));
    }

    [Fact]
    public async Task A_wait_that_runs_out_of_time_ends_its_span_with_an_error()
    {
        using var capture = new ActivityCapture();
        var client = Client(o => o.Polling.Timeout = TimeSpan.FromSeconds(3), Answers.Job("rk-1", "RUNNING"));

        await Assert.ThrowsAsync<TryOnWaitTimeoutException>(() => FakeClock.RunAsync(_time, client.WaitForCompletionAsync("rk-1"), TimeSpan.FromMinutes(1)));

        var wait = capture.Single("TryOn wait");
        Assert.Equal(ActivityStatusCode.Error, wait.Status);
        Assert.Equal("wait_timeout", wait.StatusDescription);
        Assert.Equal(3, wait.GetTagItem("alitryon.poll_count"));
        Assert.Equal(typeof(TryOnWaitTimeoutException).FullName, wait.GetTagItem("error.type"));
    }

    [Fact]
    public async Task No_span_holds_the_appcode_or_the_nonce()
    {
        using var capture = new ActivityCapture();
        var transport = Answers.InOrder(_time, Answers.Job("rk-1", "WAITING"), Answers.Error(HttpStatusCode.Unauthorized, "23500001", "Authorization required"));
        var client = new TryOnClient(TestOptions.Create(), transport, _time);

        await client.SubmitAsync(TestOptions.Task());
        await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.QueryAsync("rk-1"));

        var values = capture.Stopped
            .SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.StatusDescription ?? string.Empty).Append(a.DisplayName))
            .ToArray();
        Assert.Equal(2, capture.Stopped.Count);
        var secrets = transport.Requests.SelectMany(r => r.Header("X-Ca-Nonce")).Append(TestOptions.AppCode).ToArray();
        Assert.All(secrets, secret => Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.OrdinalIgnoreCase)));
    }

    private TryOnClient Client(params Func<HttpResponseMessage>[] answers) => Client(_ => { }, answers);

    private TryOnClient Client(Action<TryOnClientOptions> configure, params Func<HttpResponseMessage>[] answers) =>
        new(TestOptions.Create(o => { o.Polling.JitterRatio = 0; configure(o); }), Answers.InOrder(_time, answers), _time);
}
