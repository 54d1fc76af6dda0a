using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Client;

public class TryOnClientTests
{
    [Fact]
    public async Task Submit_returns_the_job_with_its_key_request_id_and_statuses()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-1", "WAITING", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var job = await client.SubmitAsync([TestOptions.Task(0), TestOptions.Task(1)]);

        Assert.Equal("rk-1", job.ResultKey);
        Assert.Equal("req-rk-1", job.RequestId);
        Assert.Equal([0, 1], job.Tasks.Select(t => t.Index));
        Assert.All(job.Tasks, t => Assert.Equal(TryOnTaskStatus.Waiting, t.Status));
        var request = transport.Requests.Single();
        Assert.Equal(TestOptions.SubmitUrl, request.Uri.ToString());
        Assert.Equal(["APPCODE " + TestOptions.AppCode], request.Header("Authorization"));
        Assert.Single(request.Header("X-Ca-Nonce"));
        Assert.Equal(["application/json"], request.Header("Accept"));
        Assert.Equal(["identity"], request.Header("Accept-Encoding")); // a gzipped answer could not be read
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("identity", "gzip")]
    public async Task A_submit_answered_in_gzip_although_the_client_asks_for_none_is_decoded_and_gives_its_job(params string[] codings)
    {
        // A server or proxy that ignores Accept-Encoding: identity: the billed job's key is in the compressed body.
        var transport = new RecordingHandler((_, _) => Encoded(Gzip(Json.Job("gz-key", "WAITING")), codings));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var job = await client.SubmitAsync([TestOptions.Task(0)]);

        Assert.Equal("gz-key", job.ResultKey);
        Assert.Equal(TryOnTaskStatus.Waiting, Assert.Single(job.Tasks).Status);
    }

    [Theory]
    [InlineData(new[] { "br" }, "br")]
    [InlineData(new[] { "gzip", "br" }, "gzip, br")]
    public async Task A_submit_answered_in_a_coding_the_client_does_not_decode_names_it_and_is_of_unknown_outcome(string[] codings, string named)
    {
        var transport = new RecordingHandler((_, _) => Encoded(Gzip(Json.Job("gz-key", "WAITING")), codings));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync([TestOptions.Task(0)]));

        Assert.Contains($"its body is {named}-encoded, which the client does not decode (it asks for none: Accept-Encoding: identity, and decodes gzip alone)", error.Message, StringComparison.Ordinal);
        Assert.Single(transport.Requests); // not retried: a job may exist
    }

    [Fact]
    public async Task A_gzip_answer_that_decodes_past_the_size_cap_is_cut_there_and_still_gives_the_key_it_names()
    {
        // 40 MiB of task list compressed to about 40 KiB: the cap counts decoded bytes.
        var bomb = "{\"code\":0,\"success\":true,\"data\":{\"result_key\":\"bomb-key\",\"task_list\":[{\"status\":\"WAITING\",\"model_image\":\"" + new string('a', 40 * 1024 * 1024) + "\"}]}}";
        var transport = new RecordingHandler((_, _) => Encoded(Gzip(bomb), ["gzip"]));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync([TestOptions.Task(0)]));

        Assert.Equal("bomb-key", error.ResultKey);
        Assert.Contains("larger than the 1048576 bytes the client accepts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzip_answer_broken_partway_is_invalid_and_names_the_job_its_decoded_part_gives()
    {
        // A second gzip member with a compression method gzip does not have (9): the first one, the job, decodes first.
        var broken = Gzip(Json.Job("gz-key", "WAITING")).Concat(new byte[] { 0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3 }).ToArray();
        var transport = new RecordingHandler((_, _) => Encoded(broken, ["gzip"]));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var submit = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync([TestOptions.Task(0)]));
        var query = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("gz-key"));

        Assert.Equal("gz-key", submit.ResultKey);
        Assert.Contains("its gzip-encoded body is not valid gzip after", submit.Message, StringComparison.Ordinal);
        Assert.Contains("The part decoded names the job 'gz-key'.", query.Message, StringComparison.Ordinal);
        Assert.Equal(200, query.Status);
        Assert.IsType<System.IO.InvalidDataException>(query.InnerException);
    }

    [Fact]
    public async Task A_gzip_answer_is_read_no_further_than_a_plain_one_however_little_it_decodes_to()
    {
        // The third reader's case: a gzip header may carry a file name of any length, which decodes to nothing. 64 MiB of
        // it, then the job: the client read it all, where it reads any plain body to the 1 MiB cap (and a buffer) only.
        var member = Gzip(Json.Job("gz-key", "WAITING"));
        var name = new byte[64 * 1024 * 1024];
        name.AsSpan().Fill((byte)'a');
        member[3] |= 0x08; // FLG.FNAME
        var gzipped = member.Take(10).Concat(name).Append((byte)0).Concat(member.Skip(10)).ToArray();
        foreach (var (body, coding) in new[] { (name, (string?)null), (gzipped, "gzip") })
        {
            var read = 0L;
            var transport = new RecordingHandler((_, _) =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new CountingStream(new MemoryStream(body), n => read += n)) };
                if (coding is not null)
                {
                    response.Content.Headers.ContentEncoding.Add(coding);
                }

                return response;
            });
            var client = new TryOnClient(TestOptions.Create(), transport);

            var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("gz-key"));

            Assert.Contains("larger than the 1048576 bytes the client accepts", error.Message, StringComparison.Ordinal);
            Assert.True(read <= 4 * 1024 * 1024, $"coding {coding ?? "none"}: the client read {read} bytes of the answer");
        }
    }

    /// <summary>Counts the bytes read from the stream it wraps.</summary>
    private sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            counted(n);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            counted(n);
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Gzip(string text)
    {
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return compressed.ToArray();
    }

    private static HttpResponseMessage Encoded(byte[] body, IEnumerable<string> codings)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var coding in codings)
        {
            response.Content.Headers.ContentEncoding.Add(coding);
        }

        return response;
    }

    [Fact]
    public async Task A_non_json_success_that_declares_the_identity_coding_is_not_called_encoded()
    {
        var transport = new RecordingHandler((_, _) =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.OK, "<html>maintenance</html>", "text/html");
            response.Content.Headers.ContentEncoding.Add("identity");
            return response;
        });
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("rk-html"));

        Assert.Contains("its body is not the JSON the service sends", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("encoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submit_answer_over_the_size_cap_still_gives_the_key_its_first_bytes_name()
    {
        // A success whose task list runs past 1 MiB (an echo of huge inputs): the job exists and is billed, so its key,
        // in the first bytes, must reach the caller. Declared and chunked bodies alike.
        var huge = "{\"code\":0,\"success\":true,\"data\":{\"result_key\":\"big-key\",\"task_list\":[" + string.Join(',', Enumerable.Repeat("{\"status\":\"WAITING\",\"model_image\":\"" + new string('a', 1000) + "\"}", 1100)) + "]}}";
        foreach (var chunked in new[] { false, true })
        {
            var transport = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = chunked ? new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge))) : new StringContent(huge),
            });
            var client = new TryOnClient(TestOptions.Create(), transport);

            var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync([TestOptions.Task(0)]));

            Assert.Equal("big-key", error.ResultKey);
            Assert.Contains("larger than the 1048576 bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains("It names the job 'big-key'.", error.Message, StringComparison.Ordinal);
            Assert.Single(transport.Requests);
        }
    }

    [Fact]
    public async Task A_query_answered_for_another_job_is_refused_rather_than_taken_for_the_queried_one()
    {
        // A cache or proxy that mixes answers up would hand one shopper another's results.
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("someone-else", "SUCCESS"));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("mine"));

        Assert.Equal("mine", error.ResultKey);
        Assert.Null(error.Job);
        Assert.Contains("it answers for the job 'someone-else', not for the job 'mine' that was queried", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRetryable); // a mix-up that may pass: a wait rides it out
        Assert.DoesNotContain("results.example.test", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_returns_result_urls()
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-2", "SUCCESS", "FAILED")));

        var job = await client.QueryAsync("rk-2");

        Assert.True(job.HasCompleted);
        Assert.Equal([new Uri("https://results.example.test/0-a.png"), new Uri("https://results.example.test/0-b.png")], job.Tasks[0].ResultUrls);
        Assert.Empty(job.Tasks[1].ResultUrls);
    }

    [Theory]
    [InlineData("https://gw.example.test/prefix", "https://gw.example.test/prefix/api/v2/tryon/submit")]
    [InlineData("https://gw.example.test/prefix/", "https://gw.example.test/prefix/api/v2/tryon/submit")]
    [InlineData("https://gw.example.test", "https://gw.example.test/api/v2/tryon/submit")]
    public async Task Endpoint_path_is_kept_as_a_prefix(string endpoint, string expected)
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.Endpoint = new Uri(endpoint)), transport);

        await client.SubmitAsync(TestOptions.Task());

        Assert.Equal(expected, transport.Requests.Single().Uri.ToString());
    }

    [Fact]
    public async Task A_handed_http_client_is_used_with_its_own_authentication_handler_and_base_address_ignored()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var options = TestOptions.Create();
        using var httpClient = new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = transport })
        {
            BaseAddress = new Uri("https://elsewhere.example.test/"),
        };
        var client = new TryOnClient(httpClient, options);

        await client.QueryAsync("k");

        var request = transport.Requests.Single();
        Assert.Equal(TestOptions.QueryUrl, request.Uri.ToString());
        Assert.Equal(["APPCODE " + TestOptions.AppCode], request.Header("Authorization"));
    }

    [Fact]
    public async Task Options_are_copied_when_the_client_is_created()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var options = TestOptions.Create();
        var client = new TryOnClient(options, transport);

        options.Endpoint = new Uri("https://changed.example.test");
        options.AppCode = "changed";
        await client.QueryAsync("k");

        var request = transport.Requests.Single();
        Assert.StartsWith(TestOptions.Endpoint, request.Uri.ToString(), StringComparison.Ordinal);
        Assert.Equal(["APPCODE " + TestOptions.AppCode], request.Header("Authorization"));
    }

    public static TheoryData<string, Action<TryOnClientOptions>, string> InvalidOptions => new()
    {
        { "no endpoint", o => o.Endpoint = null, "TryOnClientOptions.Endpoint is required" },
        { "relative endpoint", o => o.Endpoint = new Uri("/api", UriKind.Relative), "TryOnClientOptions.Endpoint must be an absolute URI" },
        { "http endpoint", o => o.Endpoint = new Uri("http://tryon.example.test"), "TryOnClientOptions.Endpoint must use https" },
        { "ftp endpoint", o => o.Endpoint = new Uri("ftp://tryon.example.test"), "must use https (it uses 'ftp')" },
        // The client adds the API's paths to the endpoint; a query or fragment would be dropped without a word.
        { "endpoint with a query", o => o.Endpoint = new Uri("https://tryon.example.test/gw?token=SECRET-TOKEN"), "TryOnClientOptions.Endpoint must not contain a query (?…) or a fragment (#…)" },
        { "endpoint with a fragment", o => o.Endpoint = new Uri("https://tryon.example.test/gw#SECRET-TOKEN"), "TryOnClientOptions.Endpoint must not contain a query (?…) or a fragment (#…)" },
        { "endpoint with the submit path", o => o.Endpoint = new Uri("https://tryon.example.test/api/v2/tryon/submit"), "TryOnClientOptions.Endpoint must be the service's base address, without the operation's path: the client adds /api/v2/tryon/submit and /api/v2/tryon/query itself (give https://tryon.example.test here)" },
        { "endpoint with the query path", o => o.Endpoint = new Uri("https://tryon.example.test/API/v2/tryon/query/"), "must be the service's base address, without the operation's path" },
        { "appcode with the header's scheme", o => o.AppCode = "APPCODE 7f3a9c2e51", "TryOnClientOptions.AppCode starts with \"APPCODE \": give the code alone" },
        { "no appcode", o => o.AppCode = null, "TryOnClientOptions.AppCode is required" },
        { "appcode with newline", o => o.AppCode = "abc\n", "TryOnClientOptions.AppCode contains whitespace" },
        { "zero attempt timeout", o => o.AttemptTimeout = TimeSpan.Zero, "TryOnClientOptions.AttemptTimeout must be positive" },
        { "negative total timeout", o => o.TotalTimeout = TimeSpan.FromSeconds(-2), "TryOnClientOptions.TotalTimeout must be positive" },
        // The call's limit would end every attempt first: the 5 minutes meant for a slow attempt would be 2.
        { "attempt longer than the call", o => o.AttemptTimeout = TimeSpan.FromMinutes(5), "TryOnClientOptions.AttemptTimeout must be at most TotalTimeout, the limit of the whole call, which would end every attempt first (it is 00:05:00, and TotalTimeout is 00:02:00): raise TotalTimeout too, or shorten this one." },
        { "attempt of a day, call of two minutes", o => o.AttemptTimeout = TimeSpan.FromDays(1), "TryOnClientOptions.AttemptTimeout must be at most TotalTimeout, the limit of the whole call, which would end every attempt first (it is 1.00:00:00 (1 day), and TotalTimeout is 00:02:00)" },
        { "eleven retries", o => o.Retry.MaxRetries = 11, "TryOnClientOptions.Retry.MaxRetries must be from 0 to 10" },
        { "zero base delay", o => o.Retry.BaseDelay = TimeSpan.Zero, "TryOnClientOptions.Retry.BaseDelay must be positive" },
        { "max delay below base", o => o.Retry.MaxDelay = TimeSpan.FromMilliseconds(1), "TryOnClientOptions.Retry.MaxDelay must be at least BaseDelay" },
        // Polly's retry refuses delays over a day; the client says so in its own words before it builds one.
        { "base delay of two days", o => { o.Retry.BaseDelay = TimeSpan.FromDays(2); o.Retry.MaxDelay = TimeSpan.FromDays(2); }, "TryOnClientOptions.Retry.BaseDelay must be positive and at most 1 day" },
        { "max delay of two days", o => o.Retry.MaxDelay = TimeSpan.FromDays(2), "TryOnClientOptions.Retry.MaxDelay must be at least BaseDelay and at most 1 day" },
        { "negative retry-after cap", o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(-1), "TryOnClientOptions.Retry.MaxRetryAfter cannot be negative" },
        { "no retry options", o => o.Retry = null!, "TryOnClientOptions.Retry is required" },
        { "negative rate", o => o.RateLimit.RequestsPerSecond = -1, "TryOnClientOptions.RateLimit.RequestsPerSecond must be a finite number" },
        // Slower than a timer can space permits, or delays longer than one can wait: refused here, not thrown by the first call.
        { "rate too slow to time", o => o.RateLimit.RequestsPerSecond = 0.0000001, "TryOnClientOptions.RateLimit.RequestsPerSecond must be 0 (no limit), or at least 0.00001 (about one request a day)" },
        { "initial delay of 60 days", o => { o.Polling.InitialDelay = TimeSpan.FromDays(60); o.Polling.MaxDelay = TimeSpan.FromDays(60); o.Polling.Timeout = Timeout.InfiniteTimeSpan; }, "TryOnClientOptions.Polling.InitialDelay must be positive and at most 24 days" },
        { "max delay of 60 days", o => { o.Polling.MaxDelay = TimeSpan.FromDays(60); o.Polling.Timeout = Timeout.InfiniteTimeSpan; }, "TryOnClientOptions.Polling.MaxDelay must be at least InitialDelay and at most 24 days" },
        { "negative concurrency", o => o.RateLimit.MaxConcurrentRequests = -1, "TryOnClientOptions.RateLimit.MaxConcurrentRequests must be 0 (no limit) or more" },
        { "negative queue", o => o.RateLimit.QueueLimit = -1, "TryOnClientOptions.RateLimit.QueueLimit cannot be negative" },
        { "zero initial delay", o => o.Polling.InitialDelay = TimeSpan.Zero, "TryOnClientOptions.Polling.InitialDelay must be positive" },
        { "zero elapsed ratio", o => o.Polling.ElapsedRatio = 0, "TryOnClientOptions.Polling.ElapsedRatio must be above 0 and at most 1" },
        { "max below initial", o => o.Polling.MaxDelay = TimeSpan.FromMilliseconds(10), "TryOnClientOptions.Polling.MaxDelay must be at least InitialDelay" },
        { "jitter of one", o => o.Polling.JitterRatio = 1, "TryOnClientOptions.Polling.JitterRatio must be from 0 to below 1" },
        { "negative wait", o => o.Polling.Timeout = TimeSpan.FromSeconds(-5), "TryOnClientOptions.Polling.Timeout must be positive, or infinite (Timeout.InfiniteTimeSpan in code, \"infinite\" in configuration)" },
        { "no polling", o => o.Polling = null!, "TryOnClientOptions.Polling is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_with_a_message_naming_the_setting(string name, Action<TryOnClientOptions> change, string message)
    {
        _ = name;
        var error = Assert.Throws<ArgumentException>("options", () => new TryOnClient(TestOptions.Create(change)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppCode, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new TryOnClient(new TryOnClientOptions()));

        Assert.Contains("Endpoint is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AppCode is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("http://emulator.lan:5080", true)]
    public void Plain_http_is_accepted_for_loopback_or_with_the_opt_in(string endpoint, bool needsOptIn)
    {
        TryOnClientOptions Options(bool optIn) => TestOptions.Create(o =>
        {
            o.Endpoint = new Uri(endpoint);
            o.AllowInsecureHttp = optIn;
        });

        _ = new TryOnClient(Options(optIn: true));
        if (needsOptIn)
        {
            Assert.Throws<ArgumentException>(() => new TryOnClient(Options(optIn: false)));
        }
        else
        {
            _ = new TryOnClient(Options(optIn: false));
        }
    }

    [Fact]
    public void Options_to_string_hides_the_appcode()
    {
        var text = TestOptions.Create().ToString();

        Assert.DoesNotContain(TestOptions.AppCode, text, StringComparison.Ordinal);
        Assert.Contains("AppCode = (set, hidden)", text, StringComparison.Ordinal);
        Assert.Contains(TestOptions.Endpoint, text, StringComparison.Ordinal);
        Assert.Contains("AppCode = (not set)", new TryOnClientOptions().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_that_outlives_its_attempt_timeout_fails_with_a_typed_timeout_on_the_fake_clock()
    {
        var time = new ObservedFakeTimeProvider();
        var client = new TryOnClient(TestOptions.Create(o => { o.AttemptTimeout = TimeSpan.FromSeconds(30); o.Retry.MaxRetries = 0; }), new HangingHandler(), time);

        var call = client.QueryAsync("k");
        FakeClock.Advance(time, TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => call);
        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(error.InnerException);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task Caller_cancellation_is_an_operation_cancelled_not_a_timeout()
    {
        var time = new ObservedFakeTimeProvider();
        var client = new TryOnClient(TestOptions.Create(), new HangingHandler(), time);
        using var cancellation = new CancellationTokenSource();

        var call = client.QueryAsync("k", cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task The_client_can_be_mocked_by_overriding_its_virtual_methods()
    {
        TryOnClient client = new FakeClient();

        var job = await client.SubmitAndWaitAsync(TestOptions.Task());

        Assert.Equal("fake", job.ResultKey);
        Assert.True(job.HasCompleted);
    }

    [Fact]
    public async Task Methods_not_overridden_on_a_mock_explain_themselves()
    {
        TryOnClient client = new FakeClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.WaitForCompletionAsync("k"));

        Assert.Contains("mocking", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A user's test double: only submit and query are overridden.</summary>
    private sealed class FakeClient : TryOnClient
    {
        public override Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default) =>
            Task.FromResult(new TryOnJob("fake", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri("https://r.test/1.png")])]));
    }
}
