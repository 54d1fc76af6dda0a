using System.Text.Json;
using AliTryOn.Testing.Tests.TestSupport;
using static AliTryOn.Testing.Tests.Emulator.GatewayContractTests;

namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>The service's body rules, answers and job lifecycle, as the document describes them.</summary>
public class ServiceContractTests : EmulatorTest
{
    private const string Model = "\"model_image\":\"https://img.test/model.png\"";
    private const string Top = "\"upper_image\":{\"type\":0,\"url\":\"https://img.test/top.png\"}";

    public static TheoryData<string, string?, int> BodyRules => new()
    {
        { "no body", null, 23500012 },
        { "empty body", "", 23500012 },
        { "blank body", "  \n ", 23500012 },
        { "not json", "task_list=1", 23500013 },
        { "truncated json", "{\"data\":{\"task_list\":[", 23500013 },
        { "array root", "[]", 23500013 },
        { "no data", "{}", 23500009 },
        { "null data", "{\"data\":null}", 23500009 },
        { "data not an object", "{\"data\":\"x\"}", 23500013 },
        { "no task list", "{\"data\":{}}", 23500009 },
        { "empty task list", "{\"data\":{\"task_list\":[]}}", 23500009 },
        { "task list not an array", "{\"data\":{\"task_list\":{}}}", 23500013 },
        { "eleven tasks", RawClient.SubmitBody(Enumerable.Repeat(RawClient.ValidTask, 11).ToArray()), 23500013 },
        { "task not an object", RawClient.SubmitBody("1"), 23500013 },
        { "no model image", RawClient.SubmitBody("{" + Top + "}"), 23500009 },
        { "empty model image", RawClient.SubmitBody("{\"model_image\":\"\"," + Top + "}"), 23500009 },
        { "model image not a string", RawClient.SubmitBody("{\"model_image\":5," + Top + "}"), 23500013 },
        { "relative model image", RawClient.SubmitBody("{\"model_image\":\"model.png\"," + Top + "}"), 23500006 },
        { "ftp model image", RawClient.SubmitBody("{\"model_image\":\"ftp://img.test/m.png\"," + Top + "}"), 23500006 },
        { "no garment", RawClient.SubmitBody("{" + Model + "}"), 23500009 },
        { "garment without type", RawClient.SubmitBody("{" + Model + ",\"lower_image\":{\"url\":\"https://img.test/p.png\"}}"), 23500009 },
        { "garment with empty type", RawClient.SubmitBody("{" + Model + ",\"lower_image\":{\"type\":\"\",\"url\":\"https://img.test/p.png\"}}"), 23500009 },
        { "garment without url", RawClient.SubmitBody("{" + Model + ",\"full_image\":{\"type\":1}}"), 23500009 },
        { "garment type 2", RawClient.SubmitBody("{" + Model + ",\"upper_image\":{\"type\":2,\"url\":\"https://img.test/t.png\"}}"), 23500013 },
        { "garment type word", RawClient.SubmitBody("{" + Model + ",\"upper_image\":{\"type\":\"flat\",\"url\":\"https://img.test/t.png\"}}"), 23500013 },
        { "garment not an object", RawClient.SubmitBody("{" + Model + ",\"upper_image\":\"https://img.test/t.png\"}"), 23500013 },
        { "inference mode 3", RawClient.SubmitBody("{" + Model + "," + Top + ",\"inferenceMode\":3}"), 23500013 },
        { "inference_mode -1", RawClient.SubmitBody("{" + Model + "," + Top + ",\"inference_mode\":\"-1\"}"), 23500013 },
    };

    [Theory]
    [MemberData(nameof(BodyRules))]
    public async Task Every_body_rule_is_enforced_with_the_documented_code_and_no_job_is_created(string rule, string? body, int code)
    {
        _ = rule;
        var answer = await Client.SubmitAsync(body);

        AssertServiceError(answer, 400, code, MessageOf(code));
        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task Ten_tasks_are_accepted()
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(Enumerable.Repeat(RawClient.ValidTask, 10).ToArray()));

        Assert.Equal(200, answer.Status);
        Assert.Equal(10, answer.Json.GetProperty("data").GetProperty("task_list").GetArrayLength());
    }

    [Fact]
    public async Task The_submit_answer_has_the_documents_shape_and_echoes_each_task()
    {
        var answer = await Client.SubmitAsync(RawClient.SubmitBody(
            "{" + Model + "," + Top + ",\"lower_image\":{\"type\":\"1\",\"url\":\"https://img.test/pants.png\"},\"inference_mode\":\"1\"}",
            "{" + Model + ",\"full_image\":{\"type\":1,\"url\":\"https://img.test/dress.png\"}}"));

        Assert.Equal(200, answer.Status);
        var json = answer.Json;
        Assert.Equal(["code", "data", "message", "requestId", "severity", "success"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("success", json.GetProperty("message").GetString());
        Assert.Equal("info", json.GetProperty("severity").GetString());
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal(answer.RequestIdHeader, json.GetProperty("requestId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", answer.ResultKey);
        var tasks = json.GetProperty("data").GetProperty("task_list").EnumerateArray().ToArray();
        Assert.Equal(["model_image", "upper_image", "lower_image", "inferenceMode", "status"], tasks[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, tasks[0].GetProperty("lower_image").GetProperty("type").GetInt32());
        Assert.Equal(1, tasks[0].GetProperty("inferenceMode").GetInt32());
        Assert.Equal(0, tasks[1].GetProperty("inferenceMode").GetInt32());
        Assert.All(tasks, t => Assert.Equal("WAITING", t.GetProperty("status").GetString()));
        Assert.Equal("https://img.test/dress.png", tasks[1].GetProperty("full_image").GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_query_without_a_result_key_is_refused(string key)
    {
        var answer = await Client.QueryAsync(key);

        AssertServiceError(answer, 400, 23500009, "Required parameters cannot be empty");
    }

    [Fact]
    public async Task A_query_for_an_unknown_result_key_gets_23500008()
    {
        var answer = await Client.QueryAsync("0123456789abcdef0123456789abcdef");

        AssertServiceError(answer, 400, 23500008, "No records found related to the specified resultKey parameter");
    }

    [Fact]
    public async Task Tasks_wait_then_run_then_succeed_on_theEmulators_clock_fast_and_quality_apart()
    {
        var key = (await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask, "{" + Model + "," + Top + ",\"inferenceMode\":1}"))).ResultKey;

        async Task<string[]> Statuses() => (await Client.QueryAsync(key)).Json.GetProperty("data").GetProperty("task_list")
            .EnumerateArray().Select(t => t.GetProperty("status").GetString()!).ToArray();

        Assert.Equal(["WAITING", "WAITING"], await Statuses());
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["RUNNING", "RUNNING"], await Statuses());
        Time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(["SUCCESS", "RUNNING"], await Statuses());
        Time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(["SUCCESS", "SUCCESS"], await Statuses());
    }

    [Fact]
    public async Task A_waiting_task_has_no_results_field_and_a_successful_one_has_four_signed_urls_on_the_storage_host()
    {
        var key = (await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask))).ResultKey;

        var waiting = (await Client.QueryAsync(key)).Json.GetProperty("data").GetProperty("task_list")[0];
        Time.Advance(TimeSpan.FromSeconds(10));
        var done = (await Client.QueryAsync(key)).Json.GetProperty("data").GetProperty("task_list")[0];

        Assert.Equal(["status"], waiting.EnumerateObject().Select(p => p.Name));
        var urls = done.GetProperty("results").EnumerateArray().Select(u => new Uri(u.GetString()!)).ToArray();
        Assert.Equal(4, urls.Length);
        Assert.All(urls, u => Assert.Equal("results.emulator.test", u.Host));
        Assert.All(urls, u => Assert.Matches(@"^\?Expires=\d+&Signature=[0-9a-f]{32}$", u.Query));
        Assert.Equal($"/oss/results/{key}/0/3.png", urls[3].AbsolutePath);
    }

    [Fact]
    public async Task Result_urls_download_as_png_images_without_credentials()
    {
        var url = await SucceededResultUrl();

        var answer = await Client.GetAsync(url);

        Assert.Equal(200, answer.Status);
        Assert.Equal("image/png", answer.ContentType);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, answer.Bytes[..8]);
    }

    [Theory]
    [InlineData("Authorization", "APPCODE " + TryOnEmulator.DefaultAppCode)]
    [InlineData("X-Ca-Nonce", "n-1")]
    [InlineData("X-Ca-Key", "k")]
    public async Task Storage_refuses_requests_that_carry_gateway_credentials(string header, string value)
    {
        var url = await SucceededResultUrl();

        var answer = await Client.GetAsync(url, r => r.Headers.TryAddWithoutValidation(header, value));

        Assert.Equal(403, answer.Status);
        Assert.Contains("<Code>AccessDenied</Code>", answer.Text, StringComparison.Ordinal);
        Assert.Contains("credentials", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_urls_expire_and_cannot_be_forged()
    {
        var url = await SucceededResultUrl();
        var forged = new Uri(url.GetLeftPart(UriPartial.Path).Replace("/0.png", "/1.png", StringComparison.Ordinal) + url.Query);

        var forgedAnswer = await Client.GetAsync(forged);
        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2));
        var expired = await Client.GetAsync(url);

        Assert.Equal(403, forgedAnswer.Status);
        Assert.Contains("SignatureDoesNotMatch", forgedAnswer.Text, StringComparison.Ordinal);
        Assert.Equal(403, expired.Status);
        Assert.Contains("Request has expired.", expired.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_checks_the_signature_before_the_key_and_answers_malformed_paths_with_no_such_key()
    {
        var unsigned = await Client.GetAsync(new Uri(TryOnEmulator.DefaultResultsAddress, "results/0123456789abcdef0123456789abcdef/0/0.png"));
        var malformed = await Client.GetAsync(new Uri(TryOnEmulator.DefaultResultsAddress, "results/nope/0.png"));

        Assert.Equal(403, unsigned.Status);
        Assert.Contains("SignatureDoesNotMatch", unsigned.Text, StringComparison.Ordinal);
        Assert.Equal(404, malformed.Status);
        Assert.Contains("NoSuchKey", malformed.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, int> ImageRules => new()
    {
        { nameof(TryOnEmulatorImageRules.MarkUnreachable), 400, 23500006 },
        { nameof(TryOnEmulatorImageRules.MarkContentRejected), 403, 23500005 },
        { nameof(TryOnEmulatorImageRules.MarkInvalid), 400, 23500007 },
    };

    [Theory]
    [MemberData(nameof(ImageRules))]
    public async Task Image_rules_fail_the_submit_with_their_code(string rule, int status, int code)
    {
        Action<string> mark = rule switch
        {
            nameof(TryOnEmulatorImageRules.MarkUnreachable) => Emulator.Images.MarkUnreachable,
            nameof(TryOnEmulatorImageRules.MarkContentRejected) => Emulator.Images.MarkContentRejected,
            _ => Emulator.Images.MarkInvalid,
        };
        mark("https://img.test/bad.png");

        var clean = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));
        var bad = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask, "{" + Model + ",\"lower_image\":{\"type\":0,\"url\":\"https://img.test/bad.png\"}}"));

        Assert.Equal(200, clean.Status);
        AssertServiceError(bad, status, code, MessageOf(code));
        Assert.Equal(1, Emulator.JobCount);
    }

    [Fact]
    public async Task An_image_marked_to_fail_generation_fails_only_its_task()
    {
        Emulator.Images.MarkGenerationFailure("https://img.test/cursed.png");
        var key = (await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask, "{\"model_image\":\"https://img.test/cursed.png\"," + Top + "}"))).ResultKey;
        Time.Advance(TimeSpan.FromMinutes(1));

        var tasks = (await Client.QueryAsync(key)).Json.GetProperty("data").GetProperty("task_list");

        Assert.Equal("SUCCESS", tasks[0].GetProperty("status").GetString());
        Assert.Equal("FAILED", tasks[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, tasks[1].GetProperty("results").ValueKind);
        Assert.Equal(0, tasks[1].GetProperty("results").GetArrayLength());
    }

    internal static string MessageOf(int code) => code switch
    {
        23500006 => "The image url provided is invalid or non-accessible",
        23500005 => "The image did not pass the content compliance check",
        23500007 => "The uploaded image does not meet the requirements",
        23500009 => "Required parameters cannot be empty",
        23500012 => "Required request body is missing",
        23500013 => "Illegal input parameter found",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    private async Task<Uri> SucceededResultUrl()
    {
        var key = (await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask))).ResultKey;
        Time.Advance(TimeSpan.FromSeconds(10));
        var results = (await Client.QueryAsync(key)).Json.GetProperty("data").GetProperty("task_list")[0].GetProperty("results");
        return new Uri(results[0].GetString()!);
    }
}
