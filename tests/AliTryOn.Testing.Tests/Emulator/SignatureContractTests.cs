using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AliTryOn.Testing.Tests.TestSupport;
using AliTryOn.Testing.Wire;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>
/// The emulator's gateway in the AppKey/AppSecret signing mode. Its check is written independently of the SDK's
/// signer: it reproduces the published vectors on its own, accepts what the SDK signs, and refuses each kind of bad
/// request with the gateway's message, which the SDK maps to <see cref="TryOnAuthenticationException"/>.
/// </summary>
public class SignatureContractTests : EmulatorTest
{
    private static readonly TryOnTask SampleTask = new(new Uri("https://img.test/model.png"), Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay));

    [Fact]
    public void The_first_published_vector_is_rebuilt_and_its_signature_accepted()
    {
        var request = VectorRequest("GET", "/Third/Tools/checkSign", "application/json", "787dd0c2-7bd8-41cd-9c19-62c05ea524a2", "1646365291734", "EdJSFAMOWyXZOpXhevZnjuS0ZafnwnCqaSk5hz+tXo8=");

        Assert.Equal(
            "GET\napplication/json\n\napplication/json\n\nx-ca-key:appKey\nx-ca-nonce:787dd0c2-7bd8-41cd-9c19-62c05ea524a2\nx-ca-timestamp:1646365291734\n/Third/Tools/checkSign",
            GatewaySignatureVerifier.StringToSign(request));
        Assert.Null(VectorVerifier(1646365291734).Verify(request));
    }

    [Fact]
    public void The_second_published_vector_is_rebuilt_and_signed()
    {
        var request = new EmulatorRequest
        {
            Method = "GET",
            Path = "/Third/Tools/checkSign",
            Headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Accept"] = ["application/json"] },
            ResultsBase = TryOnEmulator.DefaultResultsAddress,
        };

        var stringToSign = GatewaySignatureVerifier.StringToSign(request);

        Assert.Equal("GET\napplication/json\n\n\n\n/Third/Tools/checkSign", stringToSign);
        Assert.Equal("ZpJhkHdtjLTJiR6CJWHL8ikLtPB2z6CoztG21wG3PT4=", Convert.ToBase64String(HMACSHA256.HashData("appSecret"u8, Encoding.UTF8.GetBytes(stringToSign))));
    }

    [Fact]
    public void The_third_published_vector_signs_its_form_parameters_sorted_and_is_accepted()
    {
        var request = VectorRequest(
            "POST",
            "/Third/User/getNyAccessToken",
            "application/x-www-form-urlencoded",
            "ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf",
            "1646646682418",
            "gmf9xq0hc95Hmt+7G+OocS009ka3v1v0rvfshKzYc3w=",
            body: "uuid=uuid&room_id=6893&photo=photo&nickname=nickname");

        Assert.Equal(
            "POST\napplication/json\n\napplication/x-www-form-urlencoded\n\nx-ca-key:appKey\nx-ca-nonce:ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf\nx-ca-timestamp:1646646682418\n/Third/User/getNyAccessToken?nickname=nickname&photo=photo&room_id=6893&uuid=uuid",
            GatewaySignatureVerifier.StringToSign(request));
        Assert.Null(VectorVerifier(1646646682418).Verify(request));
    }

    [Fact]
    public async Task A_signed_sdk_client_submits_and_waits_in_memory_without_ever_sending_an_appcode()
    {
        var client = new TryOnClient(Emulator.CreateSignedClientOptions(), Emulator.CreateHandler(), Time);

        var job = await FakeClock.RunAsync(Time, client.SubmitAndWaitAsync(SampleTask), TimeSpan.FromMinutes(5));

        Assert.True(job.HasCompleted);
        Assert.Single(job.SucceededTasks);
        var requests = Emulator.Requests;
        Assert.True(requests.Count >= 2);
        Assert.All(requests, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.False(r.Headers.ContainsKey("Authorization"));
            Assert.Equal(TryOnEmulator.DefaultAppKey, r.Headers["X-Ca-Key"]);
            Assert.Equal("***", r.Headers["X-Ca-Signature"]);
        });
        Assert.Equal(requests.Count, requests.Select(r => r.Nonce).Distinct().Count());
    }

    [Fact]
    public async Task A_wrong_secret_gets_an_authentication_error_carrying_the_servers_string_to_sign_but_never_the_secret()
    {
        const string wrongSecret = "wrong-secret-3f9e1c";
        var options = Emulator.CreateSignedClientOptions();
        options.AppSecret = wrongSecret;
        var client = new TryOnClient(options, Emulator.CreateHandler(), Time);

        var error = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.SubmitAsync(SampleTask));

        var sent = Assert.Single(Emulator.Requests); // never retried: the same secret fails again
        var expected = string.Create(
            CultureInfo.InvariantCulture,
            $"Invalid Signature, Server StringToSign:`POST#application/json#{sent.Headers["Content-MD5"]}#application/json##x-ca-key:{TryOnEmulator.DefaultAppKey}#x-ca-nonce:{sent.Nonce}#x-ca-signature-method:HmacSHA256#x-ca-timestamp:{Time.GetUtcNow().ToUnixTimeMilliseconds()}#/api/v2/tryon/submit`");
        Assert.Equal(400, error.Status);
        Assert.Equal(expected, sent.ErrorCode); // the gateway's answer, as sent
        // The client keeps it, with the nonce masked: nonces are never shown.
        var kept = expected.Replace("x-ca-nonce:" + sent.Nonce, "x-ca-nonce:***", StringComparison.Ordinal);
        Assert.Equal(kept, error.Details.GatewayErrorMessage);
        Assert.Contains(kept, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sent.Nonce!, error.ToString(), StringComparison.Ordinal);
        foreach (var text in new[] { error.ToString(), error.Details.ToString(), string.Join(",", sent.Headers.Values) })
        {
            Assert.DoesNotContain(wrongSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TryOnEmulator.DefaultAppSecret, text, StringComparison.Ordinal);
        }

        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task An_unknown_appkey_gets_invalid_appkey()
    {
        var options = Emulator.CreateSignedClientOptions();
        options.AppKey = "unknown-key";
        var client = new TryOnClient(options, Emulator.CreateHandler(), Time);

        var error = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.QueryAsync("rk"));

        Assert.Equal(400, error.Status);
        Assert.Equal("Invalid AppKey", error.Details.GatewayErrorMessage);
        Assert.Single(Emulator.Requests);
    }

    [Theory]
    [InlineData(-16, "Timestamp Expired")]
    [InlineData(16, "Timestamp Expired")]
    [InlineData(-14, null)]
    [InlineData(14, null)]
    public async Task A_timestamp_more_than_15_minutes_from_the_gateways_clock_is_refused(int minutes, string? message)
    {
        var clientClock = new FakeTimeProvider(Time.GetUtcNow().AddMinutes(minutes));
        var client = new TryOnClient(Emulator.CreateSignedClientOptions(), Emulator.CreateHandler(), clientClock);

        var error = await Record.ExceptionAsync(() => client.SubmitAsync(SampleTask));

        if (message is null)
        {
            Assert.Null(error);
            Assert.Equal(1, Emulator.JobCount);
        }
        else
        {
            Assert.Equal(message, Assert.IsType<TryOnAuthenticationException>(error).Details.GatewayErrorMessage);
            Assert.Equal(0, Emulator.JobCount);
        }
    }

    /// <summary>Tampering done inside the signer (after signing), the gateway's answer, and its status.</summary>
    public static TheoryData<string, string, int> Tampering => new()
    {
        { "replayed", "Nonce Used", 400 },
        { "body changed", "Invalid Content-MD5", 400 },
        { "body emptied", "Invalid Content-MD5", 400 },
        { "signature removed", "Empty Signature", 401 },
        { "timestamp not a number", "Invalid Timestamp", 400 },
        { "appkey removed", "Invalid AppKey", 400 },
        { "signed header changed", "Invalid Signature, Server StringToSign:`", 400 },
        { "accept changed", "Invalid Signature, Server StringToSign:`", 400 },
        { "method unknown", "Invalid Signature, Server StringToSign:`", 400 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Each_broken_signature_gets_the_gateways_answer_and_maps_to_an_authentication_error(string tampering, string message, int status)
    {
        // The public handler in a chain of the caller's own, as the HttpClient constructor documents.
        var signer = new TryOnSignatureHandler(Emulator.CreateSignedClientOptions(), Time) { InnerHandler = new Tamper(tampering) { InnerHandler = Emulator.CreateHandler() } };
        using var http = new HttpClient(signer);
        var client = new TryOnClient(http, Emulator.CreateSignedClientOptions(), Time);

        var error = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.SubmitAsync(SampleTask));

        Assert.Equal(status, error.Status);
        Assert.StartsWith(message, error.Details.GatewayErrorMessage, StringComparison.Ordinal);
        Assert.Equal(tampering == "replayed" ? 1 : 0, Emulator.JobCount);
        Assert.DoesNotContain(TryOnEmulator.DefaultAppSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appcode_request_is_still_judged_by_its_appcode()
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r => r.Headers.TryAddWithoutValidation("X-Ca-Key", "unknown-key"));

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public void An_emulator_may_accept_signatures_only_and_needs_some_credential()
    {
        var signedOnly = new TryOnEmulatorOptions { AppKeys = { ["k2"] = "s2" } };
        signedOnly.AppCodes.Clear();
        var emulator = new TryOnEmulator(signedOnly);
        var none = new TryOnEmulatorOptions();
        none.AppCodes.Clear();
        none.AppKeys.Clear();

        var signedOptions = emulator.CreateSignedClientOptions();

        Assert.Empty(emulator.AppCodes);
        Assert.Equal([TryOnEmulator.DefaultAppKey, "k2"], emulator.AppKeys);
        Assert.Equal(TryOnEmulator.DefaultAppKey, signedOptions.AppKey);
        Assert.Equal(TryOnEmulator.DefaultAppSecret, signedOptions.AppSecret);
        Assert.Null(signedOptions.AppCode);
        Assert.Throws<ArgumentException>(() => new TryOnEmulator(none));
        var keysOnly = new TryOnEmulatorOptions();
        keysOnly.AppKeys.Clear();
        Assert.Throws<InvalidOperationException>(() => new TryOnEmulator(keysOnly).CreateSignedClientOptions());
    }

    private static GatewaySignatureVerifier VectorVerifier(long nowMilliseconds) => new(
        new Dictionary<string, string> { ["appKey"] = "appSecret" },
        new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(nowMilliseconds)),
        TimeSpan.FromMinutes(15));

    private static EmulatorRequest VectorRequest(string method, string path, string contentType, string nonce, string timestamp, string signature, string? body = null) => new()
    {
        Method = method,
        Path = path,
        Headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Accept"] = ["application/json"],
            ["Content-Type"] = [contentType],
            ["X-Ca-Key"] = ["appKey"],
            ["X-Ca-Nonce"] = [nonce],
            ["X-Ca-Timestamp"] = [timestamp],
            ["X-Ca-Signature-Headers"] = ["x-ca-key,x-ca-nonce,x-ca-timestamp"],
            ["X-Ca-Signature"] = [signature],
        },
        Body = body is null ? [] : Encoding.UTF8.GetBytes(body),
        ResultsBase = TryOnEmulator.DefaultResultsAddress,
    };

    /// <summary>Breaks a signed request on its way to the emulator.</summary>
    private sealed class Tamper(string how) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers;
            switch (how)
            {
                case "replayed":
                    (await base.SendAsync(request, cancellationToken)).Dispose();
                    break;
                case "body changed":
                case "body emptied":
                    var replacement = new ByteArrayContent(how == "body emptied" ? [] : "{\"data\":{\"result_key\":\"other\"}}"u8.ToArray());
                    foreach (var header in request.Content!.Headers.Where(h => h.Key != "Content-Length"))
                    {
                        replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }

                    request.Content = replacement;
                    break;
                case "signature removed":
                    headers.Remove("X-Ca-Signature");
                    break;
                case "timestamp not a number":
                    Replace("X-Ca-Timestamp", "soon");
                    break;
                case "appkey removed":
                    headers.Remove("X-Ca-Key");
                    break;
                case "signed header changed":
                    Replace("X-Ca-Nonce", "another-nonce");
                    break;
                case "accept changed":
                    Replace("Accept", "*/*");
                    break;
                case "method unknown":
                    Replace("X-Ca-Signature-Method", "HmacMD5");
                    break;
            }

            return await base.SendAsync(request, cancellationToken);

            void Replace(string name, string value)
            {
                headers.Remove(name);
                headers.TryAddWithoutValidation(name, value);
            }
        }
    }
}
