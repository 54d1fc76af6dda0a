using System.Net;
using System.Text.Json;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Serialization;

/// <summary>The JSON the client writes and reads, against the spec's decisions.</summary>
public class WireFormatTests
{
    [Fact]
    public async Task Submit_body_uses_the_documented_names_numbers_and_omits_absent_garments()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, Json.Job("key-1", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(), handler);

        await client.SubmitAsync(new TryOnTask(
            new Uri("https://img.example.test/model.png"),
            Upper: new GarmentImage(new Uri("https://img.example.test/top.png"), GarmentKind.FlatLay),
            FullBody: new GarmentImage(new Uri("https://img.example.test/dress.png"), GarmentKind.WornByModel),
            InferenceMode: InferenceMode.Quality));

        using var body = JsonDocument.Parse(handler.Requests.Single().Body!);
        var root = body.RootElement;
        Assert.Equal(["data"], root.EnumerateObject().Select(p => p.Name));
        var task = root.GetProperty("data").GetProperty("task_list").EnumerateArray().Single();
        Assert.Equal(["model_image", "upper_image", "full_image", "inferenceMode"], task.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://img.example.test/model.png", task.GetProperty("model_image").GetString());
        Assert.Equal(JsonValueKind.Number, task.GetProperty("upper_image").GetProperty("type").ValueKind);
        Assert.Equal(0, task.GetProperty("upper_image").GetProperty("type").GetInt32());
        Assert.Equal("https://img.example.test/top.png", task.GetProperty("upper_image").GetProperty("url").GetString());
        Assert.Equal(1, task.GetProperty("full_image").GetProperty("type").GetInt32());
        Assert.Equal(JsonValueKind.Number, task.GetProperty("inferenceMode").ValueKind);
        Assert.Equal(1, task.GetProperty("inferenceMode").GetInt32());
    }

    [Fact]
    public async Task Fast_mode_is_written_explicitly_and_the_table_spelling_never_is()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, Json.Job("key-1", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(), handler);

        await client.SubmitAsync(TestOptions.Task());

        var body = handler.Requests.Single().Body!;
        Assert.Contains("\"inferenceMode\":0", body, StringComparison.Ordinal);
        Assert.DoesNotContain("inference_mode", body, StringComparison.Ordinal);
        Assert.DoesNotContain("null", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_body_is_the_result_key_only_and_content_type_has_no_charset()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, Json.Job("key-9", "RUNNING"));
        var client = new TryOnClient(TestOptions.Create(), handler);

        await client.QueryAsync("key-9");

        var request = handler.Requests.Single();
        Assert.Equal("""{"data":{"result_key":"key-9"}}""", request.Body);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(TestOptions.QueryUrl, request.Uri.ToString());
    }

    [Fact]
    public async Task The_specs_submit_example_response_is_read()
    {
        const string response = """
            {
              "code": 0,
              "data": {
                "result_key": "abc",
                "task_list": [
                  {
                    "model_image": "https://img.alicdn.com/abc.png",
                    "upper_image": { "type": 1, "url": "https://img.alicdn.com/abc.png" },
                    "lower_image": { "type": 1, "url": "https://img.alicdn.com/abc.png" },
                    "full_image":  { "type": 1, "url": "https://img.alicdn.com/abc.png" },
                    "inferenceMode": 1,
                    "status": "WAITING"
                  }
                ]
              },
              "message": "success",
              "requestId": "trace_id_2345",
              "severity": "info",
              "success": true
            }
            """;

        var job = await QueryWith(response);

        Assert.Equal("abc", job.ResultKey);
        Assert.Equal("trace_id_2345", job.RequestId);
        Assert.Equal(TryOnSeverity.Info, job.Severity);
        Assert.Equal("info", job.Severity!.Value.Value);
        var task = Assert.Single(job.Tasks);
        Assert.Equal(TryOnTaskStatus.Waiting, task.Status);
        Assert.Equal(InferenceMode.Quality, task.InferenceMode);
        Assert.Empty(task.ResultUrls);
    }

    [Fact]
    public async Task The_specs_query_example_response_is_read()
    {
        var job = await QueryWith("""
            {"code":0,"data":{"result_key":"93be295cc7354d59bb6c3d12120f66c0","task_list":[{"status":"WAITING"}]},
             "message":"success","requestId":"9F434E8A-6C86-46E8-B200-D0F1A2915293","severity":"info","success":true}
            """);

        Assert.Equal("93be295cc7354d59bb6c3d12120f66c0", job.ResultKey);
        Assert.Equal("9F434E8A-6C86-46E8-B200-D0F1A2915293", job.RequestId);
        Assert.Null(Assert.Single(job.Tasks).InferenceMode);
    }

    [Theory]
    [InlineData("\"inferenceMode\":1")]
    [InlineData("\"inference_mode\":1")]
    [InlineData("\"inferenceMode\":\"1\"")]
    [InlineData("\"inference_mode\":\" 1 \"")]
    [InlineData("\"inferenceMode\":1.0")] // a whole number in any JSON form (decision 2)
    [InlineData("\"inferenceMode\":1e0")]
    [InlineData("\"inference_mode\":\"1.0\"")]
    public async Task Inference_mode_is_read_in_either_spelling_as_number_or_numeric_string(string field)
    {
        var job = await QueryWith("""{"code":0,"success":true,"data":{"result_key":"k","task_list":[{"status":"RUNNING",""" + field + "}]}}");

        Assert.Equal(InferenceMode.Quality, job.Tasks[0].InferenceMode);
    }

    [Theory]
    [InlineData("{\"mode\":1}", null)] // not a number: nothing, and the rest of the answer is still read
    [InlineData("[1]", null)]
    [InlineData("2147483647.0", int.MaxValue)]
    [InlineData("2147483648.0", null)] // beyond an int
    [InlineData("\"-2147483648.0\"", int.MinValue)]
    [InlineData("\"-2147483649.0\"", null)]
    public async Task Inference_mode_outside_what_an_int_holds_or_not_a_number_reads_as_none(string value, int? expected)
    {
        var job = await QueryWith("""{"code":0,"success":true,"data":{"result_key":"k","task_list":[{"inferenceMode":""" + value + ""","status":"SUCCESS","results":["https://r.test/1.png"]}]}}""");

        Assert.Equal((InferenceMode?)expected, job.Tasks[0].InferenceMode);
        Assert.True(job.HasCompleted); // the fields after it were read
    }

    [Theory]
    [InlineData("\"code\":0")]
    [InlineData("\"code\":\"0\"")]
    [InlineData("\"code\":\"\"")]
    public async Task Success_code_is_accepted_as_number_or_string(string code)
    {
        var job = await QueryWith("{" + code + ""","success":true,"data":{"result_key":"k","task_list":[{"status":"SUCCESS","results":["https://r.test/1.png"]}]}}""");

        Assert.True(job.HasCompleted);
    }

    [Theory]
    [InlineData("\"code\":23500004")]
    [InlineData("\"code\":\"23500004\"")]
    public async Task Error_code_is_accepted_as_number_or_string(string code)
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, "{" + code + ""","success":false,"message":"Request was denied due to request throttling"}""");
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), handler);

        var error = await Assert.ThrowsAsync<TryOnThrottledException>(() => client.QueryAsync("k"));

        Assert.Equal("23500004", error.ErrorCode);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_and_unknown_statuses_are_preserved()
    {
        var job = await QueryWith("""
            {"code":0,"success":true,"newTopLevel":{"nested":[1,2,{"x":null}]},"traceTags":["a"],
             "data":{"result_key":"k","extra":42,"task_list":[
               {"status":"PAUSED_FOR_REVIEW","progress":0.5,"results":[],"upper_image":{"type":"1","url":"u","crop":[0,0]}},
               {"status":"SUCCESS","results":[" https://r.test/1.png","https://r.test/2.png"],"score":{"a":1}}]}}
            """);

        Assert.Equal("PAUSED_FOR_REVIEW", job.Tasks[0].Status.Value);
        Assert.False(job.Tasks[0].Status.IsKnown);
        Assert.False(job.HasCompleted);
        Assert.Equal([new Uri("https://r.test/1.png"), new Uri("https://r.test/2.png")], job.Tasks[1].ResultUrls);
    }

    [Fact]
    public async Task Odd_values_in_optional_fields_do_not_lose_the_result_key()
    {
        var job = await QueryWith("""
            {"code":0,"success":"true","severity":{"level":"info"},
             "data":{"result_key":"billed-key","task_list":[{"status":"WAITING","inferenceMode":"fast"}]}}
            """);

        Assert.Equal("billed-key", job.ResultKey);
        Assert.Null(job.Severity);
        Assert.Null(job.Tasks[0].InferenceMode);
    }

    [Fact]
    public async Task When_both_spellings_of_the_inference_mode_come_the_echoed_one_wins()
    {
        // The service echoes inferenceMode (what the client sends); the table's inference_mode is the fallback.
        var job = await QueryWith("""{"code":0,"success":true,"data":{"result_key":"k","task_list":[{"status":"RUNNING","inference_mode":0,"inferenceMode":1}]}}""");

        Assert.Equal(InferenceMode.Quality, job.Tasks[0].InferenceMode);
    }

    [Fact]
    public async Task A_task_without_a_status_has_an_empty_one_that_is_not_finished()
    {
        var job = await QueryWith("""{"code":0,"success":true,"data":{"result_key":"k","task_list":[{"results":[]},null]}}""");

        Assert.All(job.Tasks, t => Assert.Equal(string.Empty, t.Status.Value));
        Assert.All(job.Tasks, t => Assert.False(t.Status.IsTerminal));
        Assert.False(job.HasCompleted);
    }

    [Fact]
    public async Task Blank_result_links_are_left_out_and_the_others_kept_in_order()
    {
        var job = await QueryWith("""{"code":0,"success":true,"data":{"result_key":"k","task_list":[{"status":"SUCCESS","results":["", "https://r.test/1.png", "  ", null, "https://r.test/2.png"]},{"status":"SUCCESS","results":["", " "]}]}}""");

        Assert.Equal([new Uri("https://r.test/1.png"), new Uri("https://r.test/2.png")], job.Tasks[0].ResultUrls);
        Assert.Empty(job.Tasks[1].ResultUrls);
    }

    [Fact]
    public async Task Unusable_links_in_several_tasks_are_all_counted_and_the_first_is_named()
    {
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler(HttpStatusCode.OK, """
            {"code":0,"success":true,"data":{"result_key":"k","task_list":[
              {"status":"SUCCESS","results":["https://r.test/0.png"]},
              {"status":"SUCCESS","results":["", "ftp://r.test/1.png", "https://r.test/1-ok.png", "relative/1.png"]},
              {"status":"SUCCESS","results":["https://user:pw@r.test/2.png"]}]}}
            """));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("k"));

        Assert.Contains("result 0 of task 1 uses the scheme 'ftp', not http or https ('ftp://r.test/1.png'), so it cannot be downloaded (and 2 more unusable result links, of tasks 1, 2)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2], error.TaskIndices);
        Assert.Equal([new Uri("https://r.test/1-ok.png")], error.Job!.Tasks[1].ResultUrls);
        Assert.Empty(error.Job.Tasks[2].ResultUrls);
    }

    [Fact]
    public async Task Two_unusable_links_of_one_task_are_counted_in_the_singular()
    {
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler(HttpStatusCode.OK, """
            {"code":0,"success":true,"data":{"result_key":"k","task_list":[{"status":"SUCCESS","results":["ftp://r.test/0.png?Signature=SECRET","relative/1.png"]}]}}
            """));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("k"));

        Assert.Contains("result 0 of task 0 uses the scheme 'ftp', not http or https ('ftp://r.test/0.png'), so it cannot be downloaded (and 1 more unusable result link, of task 0)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_unusable_link_is_named_alone()
    {
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler(HttpStatusCode.OK, """
            {"code":0,"success":true,"data":{"result_key":"k","task_list":[{"status":"SUCCESS","results":["https://r.test/0.png","relative/1.png"]}]}}
            """));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("k"));

        Assert.Contains("result 1 of task 0 is not an absolute http or https URL ('relative/1.png'), so it cannot be downloaded.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("more unusable", error.Message, StringComparison.Ordinal);
    }

    private static Task<TryOnJob> QueryWith(string response)
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, response));
        // The job the answer is for, as a query's answer names the job queried.
        var named = System.Text.RegularExpressions.Regex.Match(response, "\"result_key\"\\s*:\\s*\"([^\"]+)\"");
        return client.QueryAsync(named.Success ? named.Groups[1].Value : "k");
    }
}
