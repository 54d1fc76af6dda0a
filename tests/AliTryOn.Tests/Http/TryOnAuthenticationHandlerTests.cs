using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Http;

public class TryOnAuthenticationHandlerTests
{
    [Fact]
    public async Task Sets_the_appcode_authorization_and_a_128_bit_hex_nonce()
    {
        var (invoker, transport) = Create();

        await Send(invoker, new HttpRequestMessage(HttpMethod.Post, TestOptions.SubmitUrl));

        var request = transport.Requests.Single();
        Assert.Equal(["APPCODE " + TestOptions.AppCode], request.Header("Authorization"));
        var nonce = Assert.Single(request.Header("X-Ca-Nonce"));
        Assert.Matches("^[0-9a-f]{32}$", nonce);
    }

    [Fact]
    public void Options_of_the_signing_mode_are_pointed_to_the_signature_handler_without_their_secret()
    {
        var options = TestOptions.Create(o =>
        {
            o.AppCode = null;
            o.AppKey = "key-1";
            o.AppSecret = "SECRET-SIGNING-KEY";
        });

        var error = Assert.Throws<ArgumentException>("options", () => new TryOnAuthenticationHandler(options));

        Assert.Contains("use TryOnSignatureHandler for them instead", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SIGNING-KEY", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("TryOnSignatureHandler", Assert.Throws<ArgumentException>(() => new TryOnAuthenticationHandler(TestOptions.Create(o => o.AppCode = null))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaces_headers_already_on_the_request_instead_of_adding_second_values()
    {
        var (invoker, transport) = Create();
        var request = new HttpRequestMessage(HttpMethod.Post, TestOptions.SubmitUrl);
        request.Headers.TryAddWithoutValidation("Authorization", "APPCODE stale");
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", "stale-nonce");

        await Send(invoker, request);

        var sent = transport.Requests.Single();
        Assert.Equal(["APPCODE " + TestOptions.AppCode], sent.Header("Authorization"));
        Assert.NotEqual("stale-nonce", Assert.Single(sent.Header("X-Ca-Nonce")));
    }

    [Fact]
    public async Task The_same_request_sent_again_as_a_retry_does_gets_a_new_nonce_each_time()
    {
        var (invoker, transport) = Create();
        var request = new HttpRequestMessage(HttpMethod.Post, TestOptions.SubmitUrl);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Send(invoker, request);
        }

        var nonces = transport.Requests.Select(r => Assert.Single(r.Header("X-Ca-Nonce"))).ToArray();
        Assert.Equal(3, nonces.Distinct().Count());
        Assert.All(transport.Requests, r => Assert.Single(r.Header("Authorization")));
    }

    [Fact]
    public async Task Nonces_are_unique_across_many_concurrent_requests()
    {
        var (invoker, transport) = Create();

        await Task.WhenAll(Enumerable.Range(0, 5000).Select(_ => Task.Run(() => Send(invoker, new HttpRequestMessage(HttpMethod.Post, TestOptions.QueryUrl)))));

        var nonces = transport.Requests.Select(r => Assert.Single(r.Header("X-Ca-Nonce"))).ToHashSet();
        Assert.Equal(5000, nonces.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("code-with-newline\n")]
    [InlineData("code with space")]
    [InlineData("código")]
    public void Rejects_an_unusable_appcode_without_quoting_it(string? appCode)
    {
        var error = Assert.Throws<ArgumentException>(() => new TryOnAuthenticationHandler(new TryOnClientOptions { AppCode = appCode }));

        Assert.Contains("AppCode", error.Message, StringComparison.Ordinal);
        if (!string.IsNullOrWhiteSpace(appCode))
        {
            Assert.DoesNotContain(appCode.Trim(), error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_are_required()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new TryOnAuthenticationHandler(null!));

        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void An_unusable_appcode_is_refused_with_what_is_wrong_and_the_options_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new TryOnAuthenticationHandler(new TryOnClientOptions { AppCode = "code with space" }));

        Assert.StartsWith("TryOnClientOptions.AppCode ", error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
    }

    private static (HttpMessageInvoker Invoker, RecordingHandler Transport) Create()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, "{}");
        var handler = new TryOnAuthenticationHandler(TestOptions.Create()) { InnerHandler = transport };
        return (new HttpMessageInvoker(handler), transport);
    }

    private static async Task Send(HttpMessageInvoker invoker, HttpRequestMessage request) =>
        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
}
