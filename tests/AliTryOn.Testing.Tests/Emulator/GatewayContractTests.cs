using AliTryOn.Testing.Tests.TestSupport;

namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>What the emulator's gateway checks before the service sees a request.</summary>
public class GatewayContractTests : EmulatorTest
{
    [Theory]
    [InlineData("api/v2/tryon/cancel")]
    [InlineData("api/v1/tryon/submit")]
    [InlineData("")]
    public async Task Unknown_paths_get_the_gateways_api_not_found(string path)
    {
        var answer = await Client.SendAsync(path, RawClient.SubmitBody(RawClient.ValidTask));

        AssertGatewayError(answer, 404, "API Not Found");
        Assert.Equal("I404NF", answer.GatewayCode);
        Assert.Equal(0, Emulator.JobCount);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Methods_other_than_post_get_api_not_found(string method)
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r => r.Method = new HttpMethod(method));

        AssertGatewayError(answer, 404, "API Not Found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("APPCODE wrong-code")]
    [InlineData("Bearer " + TryOnEmulator.DefaultAppCode)]
    [InlineData("appcode " + TryOnEmulator.DefaultAppCode)]
    [InlineData("APPCODE")]
    public async Task A_missing_or_unknown_appcode_gets_401_with_code_23500001(string? authorization)
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r =>
        {
            r.Headers.Remove("Authorization");
            if (authorization is not null)
            {
                r.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
        });

        AssertServiceError(answer, 401, 23500001, "Authorization required to perform current operation");
        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task Every_configured_appcode_is_accepted()
    {
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { AppCodes = { "second-code" } });
        var client = new RawClient(emulator);

        var first = await client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));
        var second = await client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r =>
        {
            r.Headers.Remove("Authorization");
            r.Headers.TryAddWithoutValidation("Authorization", "APPCODE second-code");
        });

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal([TryOnEmulator.DefaultAppCode, "second-code"], emulator.AppCodes);
    }

    [Fact]
    public async Task A_missing_nonce_is_refused_by_the_gateway()
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r => r.Headers.Remove("X-Ca-Nonce"));

        AssertGatewayError(answer, 400, "Invalid Nonce");
        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task A_reused_nonce_is_refused_like_the_gateway_does_and_creates_no_job()
    {
        var sameNonce = RawClient.WithNonce("nonce-1");

        var first = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), sameNonce);
        var replay = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), sameNonce);
        var replayOnQuery = await Client.QueryAsync(first.ResultKey, sameNonce);

        Assert.Equal(200, first.Status);
        AssertGatewayError(replay, 400, "Nonce Used");
        AssertGatewayError(replayOnQuery, 400, "Nonce Used");
        Assert.Equal(1, Emulator.JobCount);
    }

    [Fact]
    public async Task A_nonce_may_be_used_again_once_the_15_minute_window_has_passed()
    {
        var sameNonce = RawClient.WithNonce("nonce-2");

        await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), sameNonce);
        Time.Advance(TimeSpan.FromMinutes(14));
        var tooSoon = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), sameNonce);
        Time.Advance(TimeSpan.FromMinutes(16));
        var later = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), sameNonce);

        Assert.Equal(400, tooSoon.Status);
        Assert.Equal(200, later.Status);
    }

    [Fact]
    public async Task A_refused_request_does_not_use_up_its_nonce()
    {
        var sameNonce = RawClient.WithNonce("nonce-3");

        var unauthorized = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r =>
        {
            sameNonce(r);
            r.Headers.Remove("Authorization");
        });
        var then = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), sameNonce);

        Assert.Equal(401, unauthorized.Status);
        Assert.Equal(200, then.Status);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Bodies_that_are_not_declared_json_are_illegal(string? contentType)
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r =>
        {
            r.Content!.Headers.Remove("Content-Type");
            if (contentType is not null)
            {
                r.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        });

        AssertServiceError(answer, 400, 23500013, "Illegal input parameter found");
    }

    [Fact]
    public async Task Json_with_a_charset_parameter_is_accepted()
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask), r =>
        {
            r.Content!.Headers.Remove("Content-Type");
            r.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        });

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused_by_the_gateway()
    {
        var answer = await Client.SubmitAsync(new string(' ', (1024 * 1024) + 1) + RawClient.SubmitBody(RawClient.ValidTask));

        AssertGatewayError(answer, 413, "Request Body Too Large");
        Assert.Equal("I413RL", answer.GatewayCode);
    }

    internal static void AssertGatewayError(Answer answer, int status, string message)
    {
        Assert.Equal(status, answer.Status);
        Assert.Empty(answer.Bytes);
        Assert.Equal(message, answer.GatewayMessage);
        Assert.Matches("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$", answer.RequestIdHeader);
    }

    /// <summary>The service's error format: the fields of the document's examples, in their order.</summary>
    internal static void AssertServiceError(Answer answer, int status, long code, string message)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/json", answer.ContentType);
        var json = answer.Json;
        Assert.Equal(["code", "message", "requestId", "severity", "success"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(code, json.GetProperty("code").GetInt64());
        Assert.Equal(message, json.GetProperty("message").GetString());
        Assert.Equal("error", json.GetProperty("severity").GetString());
        Assert.False(json.GetProperty("success").GetBoolean());
        Assert.Equal(answer.RequestIdHeader, json.GetProperty("requestId").GetString());
        Assert.Null(answer.GatewayMessage);
    }
}
