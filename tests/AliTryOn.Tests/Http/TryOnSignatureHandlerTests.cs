using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Tests.Http;

/// <summary>
/// The AppKey/AppSecret signing handler: the headers it sets on a request as the client sends it, the string it signs
/// (rebuilt here by hand from what was recorded on the wire), and a fresh nonce and signature on every attempt.
/// </summary>
public class TryOnSignatureHandlerTests
{
    private const string Body = """{"data":{"result_key":"rk"}}""";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    [Fact]
    public async Task Sets_every_signing_header_on_a_json_post_with_the_clocks_milliseconds_and_the_given_nonce()
    {
        var time = new FakeTimeProvider(Now);
        var (invoker, transport) = Create(time, () => "fixed-nonce-1");

        await Send(invoker, JsonPost(TestOptions.QueryUrl));

        var sent = transport.Requests.Single();
        var md5 = Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(Body)));
        var expected = "POST\napplication/json\n" + md5 + "\napplication/json\n\n"
            + "x-ca-key:" + TestOptions.AppKey + "\nx-ca-nonce:fixed-nonce-1\nx-ca-signature-method:HmacSHA256\nx-ca-timestamp:1700000000123\n"
            + "/api/v2/tryon/query";
        Assert.Equal([TestOptions.AppKey], sent.Header("X-Ca-Key"));
        Assert.Equal(["fixed-nonce-1"], sent.Header("X-Ca-Nonce"));
        Assert.Equal(["1700000000123"], sent.Header("X-Ca-Timestamp"));
        Assert.Equal(["HmacSHA256"], sent.Header("X-Ca-Signature-Method"));
        Assert.Equal(["x-ca-key,x-ca-nonce,x-ca-signature-method,x-ca-timestamp"], sent.Header("X-Ca-Signature-Headers"));
        Assert.Equal([md5], sent.ContentHeader("Content-MD5"));
        Assert.Equal([Hmac(expected)], sent.Header("X-Ca-Signature"));
        Assert.Empty(sent.Header("Authorization"));
        Assert.Equal(Body, sent.Body);
    }

    [Fact]
    public async Task The_client_sends_a_request_whose_signature_matches_the_string_rebuilt_from_the_wire()
    {
        var time = new FakeTimeProvider(Now);
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")) { Clock = time };
        var client = new TryOnClient(TestOptions.CreateSigned(), transport, time);

        await client.SubmitAsync(TestOptions.Task());

        var sent = transport.Requests.Single();
        Assert.Equal("application/json", sent.ContentType); // exactly as signed: no charset
        Assert.Equal(["1700000000123"], sent.Header("X-Ca-Timestamp"));
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(sent.Header("X-Ca-Nonce")));
        Assert.Equal([Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(sent.Body!)))], sent.ContentHeader("Content-MD5"));
        AssertSignatureHolds(sent);
        Assert.Empty(sent.Header("Authorization"));
    }

    [Fact]
    public async Task Every_retry_attempt_is_signed_afresh_with_a_new_nonce_timestamp_and_signature()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, index) => index < 3
            ? RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html")
            : RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "RUNNING"))) { Clock = time };
        var client = new TryOnClient(TestOptions.CreateSigned(o => o.TotalTimeout = Timeout.InfiniteTimeSpan), transport, time);

        var job = await FakeClock.RunAsync(time, client.QueryAsync("rk"), TimeSpan.FromMinutes(5));

        var sent = transport.Requests;
        Assert.Equal("rk", job.ResultKey);
        Assert.Equal(4, sent.Count);
        Assert.Equal(4, sent.Select(r => Assert.Single(r.Header("X-Ca-Nonce"))).Distinct().Count());
        Assert.Equal(4, sent.Select(r => Assert.Single(r.Header("X-Ca-Signature"))).Distinct().Count());
        Assert.All(sent, r =>
        {
            Assert.Equal(r.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), Assert.Single(r.Header("X-Ca-Timestamp")));
            AssertSignatureHolds(r);
        });
    }

    [Fact]
    public async Task Other_x_ca_headers_are_signed_too_and_stale_signing_headers_are_replaced()
    {
        var time = new FakeTimeProvider(Now);
        var (invoker, transport) = Create(time, () => "n2");
        var request = JsonPost(TestOptions.QueryUrl);
        request.Headers.TryAddWithoutValidation("X-Ca-Stage", "TEST");
        request.Headers.TryAddWithoutValidation("X-Ca-Signature", "stale");
        request.Headers.TryAddWithoutValidation("X-Ca-Signature-Headers", "stale");
        request.Headers.TryAddWithoutValidation("X-Ca-Key", "stale-key");
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", "stale-nonce");
        request.Content!.Headers.TryAddWithoutValidation("Content-MD5", "stale");

        await Send(invoker, request);

        var sent = transport.Requests.Single();
        Assert.Equal(["x-ca-key,x-ca-nonce,x-ca-signature-method,x-ca-stage,x-ca-timestamp"], sent.Header("X-Ca-Signature-Headers"));
        Assert.Equal([TestOptions.AppKey], sent.Header("X-Ca-Key"));
        Assert.Equal(["n2"], sent.Header("X-Ca-Nonce"));
        Assert.NotEqual("stale", Assert.Single(sent.Header("X-Ca-Signature")));
        Assert.NotEqual("stale", Assert.Single(sent.ContentHeader("Content-MD5")));
        AssertSignatureHolds(sent);
    }

    [Fact]
    public async Task The_query_is_signed_sorted_and_decoded_and_a_request_without_body_has_no_content_md5()
    {
        var time = new FakeTimeProvider(Now);
        var (invoker, transport) = Create(time, () => "n3");
        var request = new HttpRequestMessage(HttpMethod.Get, TestOptions.Endpoint + "/base/path?z=1&a=b%20c&flag");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Date", "Tue, 14 Nov 2023 22:13:20 GMT");

        await Send(invoker, request);

        var sent = transport.Requests.Single();
        var expected = "GET\napplication/json\n\n\nTue, 14 Nov 2023 22:13:20 GMT\n"
            + "x-ca-key:" + TestOptions.AppKey + "\nx-ca-nonce:n3\nx-ca-signature-method:HmacSHA256\nx-ca-timestamp:1700000000123\n"
            + "/base/path?a=b c&flag&z=1";
        Assert.Equal([Hmac(expected)], sent.Header("X-Ca-Signature"));
        Assert.Empty(sent.ContentHeader("Content-MD5"));
    }

    public static TheoryData<string> ReadableOnce => new() { "non-seekable stream", "push content" };

    [Theory]
    [MemberData(nameof(ReadableOnce))]
    public async Task A_body_that_can_be_read_only_once_is_hashed_and_still_sent_whole(string kind)
    {
        var time = new FakeTimeProvider(Now);
        var (invoker, transport) = Create(time, () => "n4");
        var bytes = Encoding.UTF8.GetBytes(Body);
        HttpContent content = kind == "push content" ? new OneShotContent(bytes) : new StreamContent(new NonSeekableStream(bytes));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, TestOptions.QueryUrl) { Content = content };

        await Send(invoker, request);

        var sent = transport.Requests.Single();
        Assert.Equal(Body, sent.Body);
        Assert.Equal([Convert.ToBase64String(MD5.HashData(bytes))], sent.ContentHeader("Content-MD5"));
        AssertSignatureHolds(sent);
    }

    [Fact]
    public async Task An_empty_body_gets_no_content_md5_and_signs_an_empty_line_for_it()
    {
        var time = new FakeTimeProvider(Now);
        var (invoker, transport) = Create(time, () => "n5");
        var request = new HttpRequestMessage(HttpMethod.Post, TestOptions.QueryUrl) { Content = new ByteArrayContent([]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Content.Headers.TryAddWithoutValidation("Content-MD5", "stale");

        await Send(invoker, request);

        var sent = transport.Requests.Single();
        Assert.Empty(sent.ContentHeader("Content-MD5"));
        var expected = "POST\n\n\napplication/json\n\n"
            + "x-ca-key:" + TestOptions.AppKey + "\nx-ca-nonce:n5\nx-ca-signature-method:HmacSHA256\nx-ca-timestamp:1700000000123\n"
            + "/api/v2/tryon/query";
        Assert.Equal([Hmac(expected)], sent.Header("X-Ca-Signature"));
    }

    [Fact]
    public void The_pipeline_picks_the_handler_the_credentials_call_for()
    {
        Assert.IsType<TryOnSignatureHandler>(AliTryOn.Http.TryOnHttpPipeline.CreateAuthenticationHandler(TestOptions.CreateSigned(), TimeProvider.System));
        Assert.IsType<TryOnAuthenticationHandler>(AliTryOn.Http.TryOnHttpPipeline.CreateAuthenticationHandler(TestOptions.Create(), TimeProvider.System));
        Assert.Contains("X-Ca-Signature", AliTryOn.Http.TryOnHttpPipeline.SensitiveHeaders);
    }

    public static TheoryData<string?, string?, string> Unusable => new()
    {
        { null, TestOptions.AppSecret, "AppKey is required" },
        { TestOptions.AppKey, null, "AppSecret is required" },
        { TestOptions.AppKey, "  ", "AppSecret is required" },
        { TestOptions.AppKey, TestOptions.AppSecret + "\n", "AppSecret contains whitespace" },
        { TestOptions.AppKey, TestOptions.AppSecret + " x", "AppSecret holds a placeholder, not a credential (it has spaces)" },
        { TestOptions.AppKey + "é", TestOptions.AppSecret, "AppKey contains whitespace, control or non-ASCII" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void Rejects_unusable_credentials_without_quoting_the_secret(string? appKey, string? appSecret, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new TryOnSignatureHandler(new TryOnClientOptions { AppKey = appKey, AppSecret = appSecret }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppSecret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_a_uri_is_refused_before_anything_is_sent()
    {
        var (invoker, transport) = Create(new FakeTimeProvider(Now), () => "n6");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Send(invoker, new HttpRequestMessage(HttpMethod.Get, (Uri?)null)));

        Assert.Equal("The request has no URI to sign.", error.Message);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public void Options_are_required()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new TryOnSignatureHandler(null!));

        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public async Task A_body_of_unknown_length_is_hashed_whole_and_an_empty_one_gets_no_content_md5()
    {
        // Without a declared length the body is read to learn it: a long one is hashed whole, an empty one not at all.
        var bytes = Encoding.UTF8.GetBytes(new string('b', 70_000));
        var (invoker, transport) = Create(new FakeTimeProvider(Now), () => "n7");

        await Send(invoker, new HttpRequestMessage(HttpMethod.Post, TestOptions.QueryUrl) { Content = new OneShotContent(bytes) });
        await Send(invoker, new HttpRequestMessage(HttpMethod.Post, TestOptions.QueryUrl) { Content = new OneShotContent([]) });

        Assert.Equal([Convert.ToBase64String(MD5.HashData(bytes))], transport.Requests[0].ContentHeader("Content-MD5"));
        Assert.Equal(70_000, transport.Requests[0].Body!.Length);
        Assert.Empty(transport.Requests[1].ContentHeader("Content-MD5"));
    }

    /// <summary>
    /// The recorded signature is the HMAC, with <see cref="TestOptions.AppSecret"/>, of the string rebuilt here from the
    /// recorded headers and URI (path only: for requests without a query).
    /// </summary>
    internal static void AssertSignatureHolds(RecordedRequest sent, string secret = TestOptions.AppSecret)
    {
        var names = Assert.Single(sent.Header("X-Ca-Signature-Headers")).Split(',');
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        var text = new StringBuilder()
            .Append(sent.Method.Method).Append('\n')
            .Append(string.Join(", ", sent.Header("Accept"))).Append('\n')
            .Append(string.Join(", ", sent.ContentHeader("Content-MD5"))).Append('\n')
            .Append(sent.ContentType).Append('\n')
            .Append(string.Join(", ", sent.Header("Date"))).Append('\n');
        foreach (var name in names)
        {
            text.Append(name).Append(':').Append(Assert.Single(sent.Header(name))).Append('\n');
        }

        text.Append(sent.Uri.AbsolutePath);
        Assert.Equal(Hmac(text.ToString(), secret), Assert.Single(sent.Header("X-Ca-Signature")));
    }

    private static string Hmac(string stringToSign, string secret = TestOptions.AppSecret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>A POST as the client builds one: exactly <c>application/json</c>, added as text, and the same <c>Accept</c>.</summary>
    private static HttpRequestMessage JsonPost(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        return request;
    }

    private static (HttpMessageInvoker Invoker, RecordingHandler Transport) Create(TimeProvider time, Func<string> nonces)
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, "{}") { Clock = time };
        var handler = new TryOnSignatureHandler(TestOptions.CreateSigned(), time, nonces) { InnerHandler = transport };
        return (new HttpMessageInvoker(handler), transport);
    }

    /// <summary>A body that can be serialized once, as a push or generated content may be.</summary>
    private sealed class OneShotContent(byte[] bytes) : HttpContent
    {
        private int _serialized;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            Interlocked.Exchange(ref _serialized, 1) == 0
                ? stream.WriteAsync(bytes, 0, bytes.Length)
                : throw new InvalidOperationException("This content can be read only once.");

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A stream that can be read once, from its start.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Length => throw new NotSupportedException();
    }

    private static async Task Send(HttpMessageInvoker invoker, HttpRequestMessage request)
    {
        using (request)
        {
            (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        }
    }
}
