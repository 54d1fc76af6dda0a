using System.Net;
using System.Net.Sockets;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Http;

/// <summary>
/// Every fault kind against each operation, through the client's full pipeline (resilience, authentication,
/// transport) on a fake clock: how many attempts reach the service, with what nonces, after what delays, and which
/// exception the caller gets. A submit is never repeated unless the failure proves no job was created.
/// </summary>
/// <remarks>
/// The transport answers synchronously, so every continuation runs inside the fake clock's advance and the counts
/// and times are exact. (MockHttp completes its responses on the thread pool, which would let fake time jump while
/// a request is in flight; it is used where no fake timer runs.)
/// </remarks>
public class ResilienceFaultMatrixTests
{
    private const int Attempts = 4; // the first attempt and the default 3 retries

    public enum Operation
    {
        Submit,
        Query,
    }

    /// <summary>Fault, operation, how many attempts reach the service, the exception the caller gets.</summary>
    public static TheoryData<string, Operation, int, Type> Matrix
    {
        get
        {
            var data = new TheoryData<string, Operation, int, Type>();
            void Row(string fault, int submitAttempts, Type submitError, int queryAttempts, Type queryError)
            {
                data.Add(fault, Operation.Submit, submitAttempts, submitError);
                data.Add(fault, Operation.Query, queryAttempts, queryError);
            }

            // Server errors: the submit may have created a job, so it is not repeated; the query is.
            Row("500 json", 1, typeof(TryOnSubmitOutcomeUnknownException), Attempts, typeof(TryOnServiceException));
            Row("502 html", 1, typeof(TryOnSubmitOutcomeUnknownException), Attempts, typeof(TryOnServiceException));
            Row("503 html", 1, typeof(TryOnSubmitOutcomeUnknownException), Attempts, typeof(TryOnServiceException));
            Row("504 gateway", 1, typeof(TryOnSubmitOutcomeUnknownException), Attempts, typeof(TryOnServiceException));
            Row("408", 1, typeof(TryOnException), Attempts, typeof(TryOnException));

            // Throttling answers prove the request was not processed: both operations are retried.
            Row("403 throttled json", Attempts, typeof(TryOnThrottledException), Attempts, typeof(TryOnThrottledException));
            Row("403 throttled gateway", Attempts, typeof(TryOnThrottledException), Attempts, typeof(TryOnThrottledException));
            Row("429", Attempts, typeof(TryOnThrottledException), Attempts, typeof(TryOnThrottledException));
            Row("200 throttled", Attempts, typeof(TryOnThrottledException), Attempts, typeof(TryOnThrottledException));

            // Errors that would only repeat: never retried.
            Row("quota", 1, typeof(TryOnQuotaExceededException), 1, typeof(TryOnQuotaExceededException));
            Row("gateway quota", 1, typeof(TryOnQuotaExceededException), 1, typeof(TryOnQuotaExceededException));
            Row("authentication", 1, typeof(TryOnAuthenticationException), 1, typeof(TryOnAuthenticationException));
            Row("nonce used", 1, typeof(TryOnAuthenticationException), 1, typeof(TryOnAuthenticationException));
            Row("invalid request", 1, typeof(TryOnInvalidRequestException), 1, typeof(TryOnInvalidRequestException));
            Row("moderation", 1, typeof(TryOnContentRejectedException), 1, typeof(TryOnContentRejectedException));
            Row("image unreachable", 1, typeof(TryOnImageUnreachableException), 1, typeof(TryOnImageUnreachableException));
            Row("image rules", 1, typeof(TryOnInvalidImageException), 1, typeof(TryOnInvalidImageException));
            Row("job not found", 1, typeof(TryOnJobNotFoundException), 1, typeof(TryOnJobNotFoundException));
            // "The job failed" (23500011, HTTP 500) answering a submit: a job existed, and may be billed.
            Row("job failed", 1, typeof(TryOnSubmitOutcomeUnknownException), 1, typeof(TryOnJobFailedException));

            // A code the client does not know: on a success status it cannot tell whether a job was made (the answer
            // names one here); on a 4xx the request was refused.
            Row("unknown code 200", 1, typeof(TryOnSubmitOutcomeUnknownException), 1, typeof(TryOnException));
            Row("unknown code 400", 1, typeof(TryOnException), 1, typeof(TryOnException));
            Row("redirect", 1, typeof(TryOnRedirectException), 1, typeof(TryOnRedirectException));
            Row("unreadable 200", 1, typeof(TryOnSubmitOutcomeUnknownException), 1, typeof(TryOnInvalidResponseException));

            // Transport failures: only a connection never made is safe to repeat for a submit.
            Row("connection refused", Attempts, typeof(TryOnConnectionException), Attempts, typeof(TryOnConnectionException));
            Row("connection reset", 1, typeof(TryOnSubmitOutcomeUnknownException), Attempts, typeof(TryOnConnectionException));
            Row("attempt timeout", 1, typeof(TryOnSubmitOutcomeUnknownException), Attempts, typeof(TryOnTimeoutException));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_fault_is_retried_only_where_safe_with_a_fresh_nonce_and_ends_in_its_exception(string fault, Operation operation, int attempts, Type expected)
    {
        var time = new ObservedFakeTimeProvider();
        var start = time.GetUtcNow();
        var transport = new RecordingHandler((_, _) => Script(fault)) { Clock = time };
        // No total limit here, so the number of attempts depends on the policy alone, not on how the random
        // backoff adds up (the total timeout has a test of its own).
        var client = new TryOnClient(TestOptions.Create(o => o.TotalTimeout = Timeout.InfiniteTimeSpan), transport, time);

        var call = operation == Operation.Submit ? client.SubmitAsync(TestOptions.Task()) : client.QueryAsync("rk");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FakeClock.RunAsync(time, call, TimeSpan.FromMinutes(5)));

        var sent = transport.Requests;
        Assert.Equal(expected, error.GetType());
        Assert.Equal(attempts, sent.Count);
        Assert.All(sent, r => Assert.EndsWith(operation == Operation.Submit ? "/submit" : "/query", r.Uri.AbsolutePath, StringComparison.Ordinal));
        Assert.Equal(attempts, sent.Select(r => Assert.Single(r.Header("X-Ca-Nonce"))).Distinct().Count());
        Assert.All(sent, r => Assert.Single(r.Header("Authorization")));
        var gaps = sent.Zip(sent.Skip(1), (a, b) => b.At - a.At).ToArray();
        // Between attempts: at most the attempt timeout (30 s) plus the longest backoff (30 s), plus the clock's drift
        // around a cancelled attempt (the runtime may resume it on the thread pool while the fake clock moves on).
        Assert.All(gaps, gap => Assert.InRange(gap, TimeSpan.Zero, TimeSpan.FromSeconds(65)));
        if (error is TryOnSubmitOutcomeUnknownException unknown)
        {
            Assert.Equal(sent[0].Header("X-Ca-Nonce").Single(), unknown.Nonce);
            Assert.Equal(start, unknown.SentAt);
            Assert.Single(unknown.Tasks);
            Assert.False(unknown.IsRetryable);
            // An answer that could not be read in full still names the billed job when it can.
            Assert.Equal(fault is "unreadable 200" or "unknown code 200" ? "rk" : null, unknown.ResultKey);
            Assert.Equal(unknown.ResultKey is not null, unknown.Message.Contains($"It names the job '{unknown.ResultKey}'", StringComparison.Ordinal));
            Assert.Contains("unknown whether the service created", unknown.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("attempt timeout", Operation.Submit, "The submit did not answer in time, so it is unknown whether the service created (and billed) the job.")]
    [InlineData("500 json", Operation.Submit, "The submit was answered with HTTP 500, so it is unknown whether")]
    [InlineData("502 html", Operation.Submit, "The submit was answered with HTTP 502, so it is unknown whether")]
    [InlineData("unreadable 200", Operation.Submit, "The submit was answered with a success the client could not read, so it is unknown whether")]
    [InlineData("job failed", Operation.Submit, "The submit was answered that the job failed (code 23500011, HTTP 500), so it is unknown whether")]
    [InlineData("job failed 200", Operation.Submit, "The submit was answered that the job failed (code 23500011, HTTP 200), so it is unknown whether")]
    [InlineData("service error 200", Operation.Submit, "The submit was answered with code 23500000 on HTTP 200, so it is unknown whether")]
    [InlineData("no code 200", Operation.Submit, "The submit was answered with an error that names no code on HTTP 200, so it is unknown whether")]
    [InlineData("unknown code 200", Operation.Submit, "The submit was answered with code 23599999, which the client does not know, so it is unknown whether")]
    [InlineData("connection reset", Operation.Submit, "The submit lost its connection after the request was sent, so it is unknown whether")]
    [InlineData("connection refused", Operation.Submit, "The try-on service could not be reached: Connection refused (tryon.example.test:443) No job was created, so it is safe to submit again.")]
    [InlineData("connection refused", Operation.Query, "The try-on service could not be reached: Connection refused (tryon.example.test:443)")]
    [InlineData("attempt timeout", Operation.Query, "The try-on service did not answer within 00:00:30 (AttemptTimeout or TotalTimeout of TryOnClientOptions).")]
    public async Task Each_failure_says_what_happened_and_for_a_submit_whether_a_job_may_exist(string fault, Operation operation, string message)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => Script(fault)) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.TotalTimeout = Timeout.InfiniteTimeSpan), transport, time);

        var call = operation == Operation.Submit ? client.SubmitAsync(TestOptions.Task()) : client.QueryAsync("rk");
        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, call, TimeSpan.FromMinutes(5)));

        // A query's message is whole; a submit's goes on to say what is known of the job.
        if (operation == Operation.Query)
        {
            Assert.Equal(message, error.Message);
        }
        else
        {
            Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(operation == Operation.Submit && error is not TryOnSubmitOutcomeUnknownException, error.Message.Contains("No job was created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backoff_delays_grow_and_stay_within_the_configured_maximum()
    {
        var gaps = (await BackoffGapsAsync(retries: 8, maxDelay: TimeSpan.FromSeconds(5))).Select(g => g.TotalSeconds).ToArray();
        Assert.Equal(8, gaps.Length);
        Assert.All(gaps, gap => Assert.InRange(gap, 0, 5 + FakeClock.Step.TotalSeconds));
        Assert.True(gaps.Skip(4).Average() > gaps.Take(2).Average(), $"Delays should grow: {string.Join(", ", gaps)}");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(60)]
    public async Task Retry_after_is_honoured_up_to_the_cap(int seconds)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, index) =>
        {
            if (index > 0)
            {
                return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
            }

            var response = RecordingHandler.Response((HttpStatusCode)429, null);
            response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.TotalTimeout = Timeout.InfiniteTimeSpan), transport, time);

        var job = await FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), TimeSpan.FromMinutes(5));
        var at = transport.Requests.Select(r => r.At).ToArray();

        Assert.Equal("rk", job.ResultKey);
        Assert.Equal(TimeSpan.FromSeconds(seconds), at[1] - at[0]);
    }

    [Theory]
    [InlineData(9, 9)]
    [InlineData(-30, 0)] // a date already past: retried at once
    public async Task Retry_after_given_as_an_http_date_is_honoured(int secondsFromNow, int expectedWait)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, index) =>
        {
            if (index > 0)
            {
                return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
            }

            var response = RecordingHandler.Response((HttpStatusCode)429, null);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(secondsFromNow));
            return response;
        }) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(3); // far from both waits, so the header's is the one seen
            o.Retry.MaxDelay = TimeSpan.FromSeconds(3);
        }), transport, time);

        var job = await FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromMinutes(5));
        var at = transport.Requests.Select(r => r.At).ToArray();

        Assert.Equal("rk", job.ResultKey);
        Assert.Equal(TimeSpan.FromSeconds(expectedWait), at[1] - at[0]);
    }

    [Fact]
    public async Task Backoff_is_jittered_so_clients_do_not_retry_in_step()
    {
        // Without jitter the delays from a base of 1 s would be exactly 1, 2, 4, 8… s; many app instances failing
        // together would then hit the service again at the same instants.
        var gaps = await BackoffGapsAsync(retries: 6, maxDelay: TimeSpan.FromSeconds(64));
        var unjittered = Enumerable.Range(0, gaps.Length).Select(n => TimeSpan.FromSeconds(Math.Pow(2, n))).ToArray();
        Assert.Equal(6, gaps.Length);
        Assert.True(gaps.Zip(unjittered).Count(p => (p.First - p.Second).Duration() > FakeClock.Step) >= 3, $"Delays without jitter: {string.Join(", ", gaps)}");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_ends_the_retries_and_is_reported()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => Answers.ThrottledFor(300));
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var error = await Assert.ThrowsAsync<TryOnThrottledException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromMinutes(1)));

        Assert.Single(transport.Requests);
        Assert.Equal(TimeSpan.FromSeconds(300), error.RetryAfter);
    }

    [Fact]
    public async Task A_throttled_submit_is_retried_once_and_returns_the_job_it_then_created()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, index) => index == 0
            ? RecordingHandler.Response(HttpStatusCode.Forbidden, Json.Error("23500004", "throttled"))
            : RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-after-throttle", "WAITING")));
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var job = await FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), TimeSpan.FromMinutes(1));

        Assert.Equal("rk-after-throttle", job.ResultKey);
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal(transport.Requests[0].Body, transport.Requests[1].Body);
    }

    [Fact]
    public async Task The_total_timeout_bounds_a_query_however_many_retries_remain()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.Retry.MaxRetries = 10;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(25);
        }), transport, time);

        var started = time.GetUtcNow();
        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromMinutes(5)));

        // Attempts of 10 s with short backoffs: two or three fit in 25 s, and none starts after it.
        Assert.InRange(transport.Requests.Count, 2, 3);
        Assert.All(transport.Requests, r => Assert.True(r.At - started < TimeSpan.FromSeconds(25)));
        Assert.Contains("00:00:25", error.Message, StringComparison.Ordinal);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(error.InnerException);
    }

    /// <summary>The times between the attempts of a query answered 503 every time, with retries from a base delay of 1 s.</summary>
    private static async Task<TimeSpan[]> BackoffGapsAsync(int retries, TimeSpan maxDelay)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html")) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.Retry.MaxRetries = retries;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = maxDelay;
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        }), transport, time);

        await Assert.ThrowsAsync<TryOnServiceException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromMinutes(10)));

        var at = transport.Requests.Select(r => r.At).ToArray();
        return at.Zip(at.Skip(1), (a, b) => b - a).ToArray();
    }

    /// <summary>The answer to one attempt for a named fault; <see langword="null"/> leaves the attempt hanging.</summary>
    private static HttpResponseMessage? Script(string fault)
    {
        static HttpResponseMessage Gateway(int status, string message)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", message);
            return response;
        }

        return fault switch
        {
            "connection refused" => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (tryon.example.test:443)", new SocketException((int)SocketError.ConnectionRefused)),
            "connection reset" => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("reset")),
            "attempt timeout" => null,
            "500 json" => RecordingHandler.Response(HttpStatusCode.InternalServerError, Json.Error("23500000", "Internal server error")),
            "502 html" => RecordingHandler.Response(HttpStatusCode.BadGateway, "<html><title>502 Bad Gateway</title></html>", "text/html"),
            "503 html" => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html><title>503</title></html>", "text/html"),
            "504 gateway" => Gateway(504, "Async Service"),
            "408" => new HttpResponseMessage(HttpStatusCode.RequestTimeout),
            "403 throttled json" => RecordingHandler.Response(HttpStatusCode.Forbidden, Json.Error("23500004", "Request was denied due to request throttling")),
            "403 throttled gateway" => Gateway(403, "Throttled by APP Flow Control"),
            "429" => new HttpResponseMessage((HttpStatusCode)429),
            "200 throttled" => RecordingHandler.Response(HttpStatusCode.OK, Json.Error("23500004", "throttled", codeAsNumber: 23500004)),
            "quota" => RecordingHandler.Response(HttpStatusCode.Forbidden, Json.Error("23500003", "User credit points are exhausted")),
            "gateway quota" => Gateway(403, "Quota Exhausted"),
            "authentication" => RecordingHandler.Response(HttpStatusCode.Unauthorized, Json.Error("23500001", "Authorization required to perform current operation")),
            "nonce used" => Gateway(400, "Nonce Used"),
            "invalid request" => RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500013", "Illegal input parameter found")),
            "moderation" => RecordingHandler.Response(HttpStatusCode.Forbidden, Json.Error("23500005", "The image did not pass the content compliance check")),
            "image unreachable" => RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500006", "The image url provided is invalid or non-accessible")),
            "image rules" => RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500007", "The uploaded image does not meet the requirements")),
            "job not found" => RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500008", "No records found")),
            "job failed" => RecordingHandler.Response(HttpStatusCode.InternalServerError, Json.Error("23500011", "Job execution failed")),
            "job failed 200" => RecordingHandler.Response(HttpStatusCode.OK, Json.Error("23500011", "Job execution failed")),
            "service error 200" => RecordingHandler.Response(HttpStatusCode.OK, Json.Error("23500000", "Internal server error")),
            "no code 200" => RecordingHandler.Response(HttpStatusCode.OK, """{"code":0,"success":false,"message":"busy"}""", "application/json"),
            "unknown code 200" => RecordingHandler.Response(HttpStatusCode.OK, """{"code":"23599999","success":false,"message":"a code of a later version","data":{"result_key":"rk"}}""", "application/json"),
            "unknown code 400" => RecordingHandler.Response(HttpStatusCode.BadRequest, """{"code":"23599999","success":false,"message":"a code of a later version"}""", "application/json"),
            "redirect" => Redirect(),
            "unreadable 200" => RecordingHandler.Response(HttpStatusCode.OK, "{\"code\":0,\"success\":true,\"data\":{\"result_key\":\"rk\",\"task_li", "application/json"),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault"),
        };
    }

    private static HttpResponseMessage Redirect()
    {
        var response = new HttpResponseMessage(HttpStatusCode.Found);
        response.Headers.Location = new Uri("https://elsewhere.example.test/api/v2/tryon/submit");
        return response;
    }
}
