using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Http;

/// <summary>
/// Whether a submit went out is decided where it is known: only an attempt that reached the transport and got no answer
/// ruling a job out makes a submit "outcome unknown". A submit never sent, or refused at every attempt, fails with an
/// error that says no job was created, and cancellation says which of the two it was.
/// </summary>
public class SubmitDeliveryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_submit_that_waited_past_the_total_timeout_for_a_rate_limit_permit_was_never_sent_and_says_so()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => { o.RateLimit.RequestsPerSecond = 0.2; o.TotalTimeout = TimeSpan.FromSeconds(1); }), transport, time);
        await FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), Limit);

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task(1)), Limit));

        Assert.Single(transport.Requests);
        Assert.Contains("The submit was not sent", error.Message, StringComparison.Ordinal);
        Assert.Contains("No job was created", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRetryable);
        Assert.Null(error.ResultKey);
    }

    [Fact]
    public async Task A_submit_refused_until_the_total_timeout_ran_out_is_throttled_not_outcome_unknown()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => Answers.ThrottledFor(2)) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.TotalTimeout = TimeSpan.FromSeconds(3)), transport, time);

        var error = await Assert.ThrowsAsync<TryOnThrottledException>(() => FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), Limit));

        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal("23500004", error.ErrorCode);
        Assert.Equal(403, error.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Contains("time ran out", error.Message, StringComparison.Ordinal);
        Assert.Contains("No job was created", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"code":23500004,"data":[]}""", 4, typeof(TryOnThrottledException), "23500004")]
    [InlineData("""{"code":"23500003","message":"User credit points are exhausted","data":"none"}""", 1, typeof(TryOnQuotaExceededException), "23500003")]
    [InlineData("""{"code":23500004,"requestId":"req-cut","data":{"result_key":""" , 4, typeof(TryOnThrottledException), "23500004")]
    public async Task An_error_whose_data_is_malformed_is_retried_and_thrown_by_the_same_reading_of_its_code(string body, int attempts, Type expected, string code)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => Answers.ThrottledFor(0, body)) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk"), Limit));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(attempts, transport.Requests.Count);
        Assert.Equal("rk", error.ResultKey);
    }

    [Fact]
    public async Task Cancelling_a_submit_that_waits_for_a_rate_limit_permit_says_nothing_was_created()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.RateLimit.RequestsPerSecond = 0.2), transport, time);
        await FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), Limit);
        using var cancellation = new CancellationTokenSource();

        var queued = client.SubmitAsync(TestOptions.Task(1), cancellation.Token);
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => queued);

        Assert.False(error.MayHaveCreatedJob);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Contains("No job was created", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Nonce);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_a_submit_in_flight_says_a_job_may_exist_and_names_the_attempt()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();

        var call = client.SubmitAsync(TestOptions.Task(), cancellation.Token);
        await FakeClock.SettleAsync(call, () => transport.Requests.Count == 1);
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => call);

        Assert.True(error.MayHaveCreatedJob);
        Assert.Equal("The submit was cancelled after it was sent: the service may have created (and billed) the job.", error.Message);
        Assert.Equal(Assert.Single(transport.Requests).Header("X-Ca-Nonce").Single(), error.Nonce);
        Assert.Equal(time.GetUtcNow(), error.SentAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_job_whose_answer_arrived_as_the_caller_cancelled_is_returned_not_lost(bool ownHttpClient)
    {
        // The answer names a job that exists and is billed: thrown away, its key could never be learned again.
        using var cancellation = new CancellationTokenSource();
        var transport = new RecordingHandler((_, _) =>
        {
            cancellation.Cancel();
            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-billed", "WAITING"));
        });
        var client = ownHttpClient
            ? new TryOnClient(new HttpClient(transport) { BaseAddress = new Uri(TestOptions.Endpoint) }, TestOptions.Create())
            : new TryOnClient(TestOptions.Create(), transport);

        var job = await client.SubmitAsync(TestOptions.Task(), cancellation.Token);

        Assert.Equal("rk-billed", job.ResultKey);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_job_read_within_the_grace_leaves_no_timer_behind()
    {
        // The grace's timer is armed by the cancellation; the call's end must take it away, not leave it to fire.
        var time = new ObservedFakeTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var armedWhileRead = false;
        var transport = new RecordingHandler((_, _) =>
        {
            cancellation.Cancel();
            var response = RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-billed", "WAITING"));
            // The body is read within the grace: its timer is there while it is read.
            response.Content = new ObservedContent(response.Content, () => armedWhileRead = time.HasTimerDueWithin(AliTryOn.Http.SubmitAnswerGrace.Grace));
            return response;
        });
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var job = await client.SubmitAsync(TestOptions.Task(), cancellation.Token);

        Assert.Equal("rk-billed", job.ResultKey);
        Assert.True(armedWhileRead, "The grace's timer was not armed while the answer was read.");
        Assert.Equal(0, time.PendingTimers);
    }

    /// <summary>A content that calls <c>onRead</c> as its body is read, then gives the inner content's body.</summary>
    private sealed class ObservedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Action _onRead;

        public ObservedContent(HttpContent inner, Action onRead)
        {
            _inner = inner;
            _onRead = onRead;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            _onRead();
            await _inner.CopyToAsync(stream);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task A_submit_whose_answer_stalls_after_the_caller_cancelled_gives_up_after_the_grace_saying_a_job_may_exist()
    {
        var time = new ObservedFakeTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var transport = StallsAfterCancelling(cancellation, time);
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var call = client.SubmitAsync(TestOptions.Task(), cancellation.Token);
        await FakeClock.SettleAsync(call, () => time.PendingTimers > 0);
        Assert.False(call.IsCompleted); // still reading, for the job's key

        FakeClock.Advance(time, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => call);

        Assert.True(error.MayHaveCreatedJob);
        Assert.Single(transport.Requests);
    }

    /// <summary>A transport whose answer's headers arrive as the caller cancels, and whose body then never comes.</summary>
    private static RecordingHandler StallsAfterCancelling(CancellationTokenSource cancellation, TimeProvider time) => new((_, _) =>
    {
        cancellation.Cancel();
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream()) };
    }) { Clock = time };

    [Theory]
    [InlineData(200, true)]
    [InlineData(299, true)]
    [InlineData(302, false)]
    [InlineData(400, false)]
    [InlineData(499, false)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public async Task A_submit_answered_with_a_body_too_large_to_read_may_have_created_a_job_unless_its_status_refused_it(int status, bool mayHaveCreatedJob)
    {
        // Unread, the body tells nothing: a success or a server error may have made a job; a 3xx or 4xx did not.
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response((HttpStatusCode)status, new string(' ', (1024 * 1024) + 1)));
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), transport);

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal(mayHaveCreatedJob ? typeof(TryOnSubmitOutcomeUnknownException) : typeof(TryOnInvalidResponseException), error.GetType());
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_a_submit_during_the_backoff_after_a_refusal_says_nothing_was_created()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => Answers.ThrottledFor(30)) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();

        var call = client.SubmitAsync(TestOptions.Task(), cancellation.Token);
        await FakeClock.SettleAsync(call, () => time.HasTimerDueWithin(TimeSpan.FromSeconds(30)) && transport.Requests.Count == 1);
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => call);

        Assert.False(error.MayHaveCreatedJob);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_says_nothing_was_created_even_through_an_http_client_of_your_own()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var options = TestOptions.Create();
        var own = new TryOnClient(new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = transport }), options);
        var pooled = new TryOnClient(options, transport);

        foreach (var client in new[] { own, pooled })
        {
            var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => client.SubmitAsync(TestOptions.Task(), new CancellationToken(canceled: true)));
            Assert.False(error.MayHaveCreatedJob);
        }

        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData(WebExceptionStatus.ConnectFailure, true)]
    [InlineData(WebExceptionStatus.NameResolutionFailure, true)]
    [InlineData(WebExceptionStatus.SecureChannelFailure, true)]
    [InlineData(WebExceptionStatus.ReceiveFailure, false)]
    [InlineData(WebExceptionStatus.ConnectionClosed, false)]
    public async Task A_connection_failure_reported_as_on_NET_Framework_is_retried_for_a_submit_only_when_it_came_before_sending(WebExceptionStatus status, bool beforeSending)
    {
        // .NET Framework's HttpClientHandler wraps a WebException (itself often wrapping a SocketException), where
        // .NET Core sets HttpRequestError or wraps the SocketException directly.
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, index) => index == 0
            ? throw new HttpRequestException("An error occurred while sending the request.", new WebException("Unable to connect to the remote server", status))
            : RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-after", "WAITING"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var call = FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), Limit);

        if (beforeSending)
        {
            Assert.Equal("rk-after", (await call).ResultKey);
            Assert.Equal(2, transport.Requests.Count);
        }
        else
        {
            var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => call);
            Assert.IsType<WebException>(error.InnerException!.InnerException);
            Assert.Single(transport.Requests);
        }
    }

    [Fact]
    public async Task A_socket_error_under_a_connection_lost_in_use_is_not_taken_for_a_connection_never_made()
    {
        // The shape of a connection that broke while the request was written or the answer read: an IOException
        // between the HttpRequestException and the socket error.
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => throw new HttpRequestException(
            "Error while copying content to a stream.",
            new IOException("Unable to write data to the transport connection.", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostUnreachable)))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), Limit));

        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_connection_refused_at_every_attempt_fails_a_submit_as_a_connection_error_saying_nothing_was_created()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => throw new HttpRequestException(
            "Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var error = await Assert.ThrowsAsync<TryOnConnectionException>(() => FakeClock.RunAsync(time, client.SubmitAsync(TestOptions.Task()), Limit));

        Assert.Equal(4, transport.Requests.Count);
        Assert.Contains("No job was created", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeout_of_an_http_client_of_your_own_is_a_typed_error_not_a_task_cancellation()
    {
        // What HttpClient throws when its own Timeout passes: the caller's token is not cancelled.
        var transport = new RecordingHandler((_, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()));
        var options = TestOptions.Create();
        var client = new TryOnClient(new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = transport }), options);

        var submit = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));
        var query = await Assert.ThrowsAsync<TryOnTimeoutException>(() => client.QueryAsync("rk"));

        Assert.IsType<TaskCanceledException>(submit.InnerException);
        Assert.Contains("HttpClient.Timeout", query.Message, StringComparison.Ordinal);
        Assert.Equal("rk", query.ResultKey);
    }

    public static TheoryData<string, Type, bool> OwnHttpClientAnswers => new()
    {
        { "connection refused", typeof(TryOnConnectionException), false },
        { "connection reset", typeof(TryOnSubmitOutcomeUnknownException), true },
        { "400 invalid", typeof(TryOnInvalidRequestException), false },
        { "403 throttled", typeof(TryOnThrottledException), false },
        { "500", typeof(TryOnSubmitOutcomeUnknownException), true },
        { "500 unknown code", typeof(TryOnSubmitOutcomeUnknownException), true },
        { "499 unknown code", typeof(TryOnException), false },
    };

    [Theory]
    [MemberData(nameof(OwnHttpClientAnswers))]
    public async Task Through_an_http_client_of_your_own_a_submit_is_in_doubt_only_when_the_failure_leaves_it_so(string answer, Type expected, bool inDoubt)
    {
        // No handler of the client follows the attempts here: the failure itself must tell whether a job may exist.
        var transport = new RecordingHandler((_, _) => answer switch
        {
            "connection refused" => throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
            "connection reset" => throw new HttpRequestException("The connection was reset.", new IOException("reset")),
            "400 invalid" => RecordingHandler.Response(HttpStatusCode.BadRequest, Json.Error("23500009", "bad request")),
            "403 throttled" => Answers.ThrottledFor(1),
            "500 unknown code" => RecordingHandler.Response(HttpStatusCode.InternalServerError, Json.Error("99999999", "new")),
            "499 unknown code" => RecordingHandler.Response((HttpStatusCode)499, Json.Error("99999999", "new")),
            _ => RecordingHandler.Response(HttpStatusCode.InternalServerError, Json.Error("23500000", "internal")),
        });
        var options = TestOptions.Create();
        var client = new TryOnClient(new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = transport }), options);

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(inDoubt, error.Message.Contains("so it is unknown whether the service created (and billed) the job", StringComparison.Ordinal));
        Assert.Single(transport.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_submit_answer_cut_off_after_its_result_key_names_the_billed_job(bool ownHttpClient)
    {
        var partial = System.Text.Encoding.UTF8.GetBytes("""{"code":0,"success":true,"data":{"result_key":"rk-cut","task_list":[{"task_sta""");
        var transport = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream(partial)) });
        var options = TestOptions.Create(o => o.Retry.MaxRetries = 0);
        var client = ownHttpClient
            ? new TryOnClient(new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = transport }), options)
            : new TryOnClient(options, transport);

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal("rk-cut", error.ResultKey);
        Assert.Contains("names the job 'rk-cut'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_whose_answer_stalls_as_the_caller_cancels_ends_at_once_without_a_grace()
    {
        // Only a submit's answer is worth waiting for: a query can be made again.
        var time = new ObservedFakeTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var transport = StallsAfterCancelling(cancellation, time);
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        // Within a second of fake time: a grace would hold the read for 5 s.
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FakeClock.RunAsync(time, client.QueryAsync("rk", cancellation.Token), TimeSpan.FromSeconds(1)));

        Assert.IsNotType<TryOnSubmitCanceledException>(error); // a query's cancellation says nothing of jobs

        Assert.Single(transport.Requests);
    }

    /// <summary>A body whose connection breaks after <paramref name="bytes"/>.</summary>
    private sealed class BreakingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("The connection was reset by the peer.");
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
