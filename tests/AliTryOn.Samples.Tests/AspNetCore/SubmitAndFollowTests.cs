using System.Net;
using System.Text.Json;
using AliTryOn.Samples.AspNetCore.Jobs;
using AliTryOn.Testing;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>The happy path: submit, follow the status, download the images.</summary>
public sealed class SubmitAndFollowTests : SampleAppTest
{
    [Fact]
    public async Task Post_answers_202_with_the_result_key_the_status_url_and_a_location_header()
    {
        using var response = await PostAsync(OneTask);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var resultKey = body.GetProperty("resultKey").GetString();
        Assert.False(string.IsNullOrEmpty(resultKey));
        Assert.Equal($"/tryon/{resultKey}", body.GetProperty("statusUrl").GetString());
        Assert.Equal($"/tryon/{resultKey}", response.Headers.Location?.OriginalString);

        // The job really exists in the service, created with the task as given.
        var submit = Assert.Single(Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit);
        Assert.Equal(resultKey, submit.ResultKey);
        Assert.True(submit.CreatedJob);
        Assert.Contains("https://img.example/shirt.jpg", submit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_status_progresses_from_waiting_to_success_with_links_to_this_app()
    {
        var statusUrl = await SubmitAsync();
        var seen = new List<JsonElement>();

        var done = await WaitUntilCompletedAsync(statusUrl, seen);

        // The submit's own snapshot is there at once; then the waiter's progress; then the final job.
        Assert.Equal(["WAITING"], Statuses(seen[0]));
        Assert.False(seen[0].GetProperty("hasCompleted").GetBoolean());
        Assert.Empty(ResultLinks(seen[0]));
        var order = new[] { "WAITING", "RUNNING", "SUCCESS" };
        var ranks = seen.Select(s => Array.IndexOf(order, Statuses(s)[0])).ToArray();
        Assert.DoesNotContain(-1, ranks);
        Assert.Equal(ranks.Order(), ranks); // never goes back

        Assert.Equal(["SUCCESS"], Statuses(done));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("note").ValueKind);
        Assert.Equal([.. Enumerable.Range(0, 4).Select(i => $"{statusUrl}/tasks/0/results/{i}")], ResultLinks(done));
        Assert.DoesNotContain("emulator.test", done.GetRawText(), StringComparison.Ordinal); // no raw storage URLs
    }

    [Fact]
    public async Task A_completed_job_is_served_from_the_store_without_asking_the_service_again()
    {
        var statusUrl = await SubmitAsync();
        await WaitUntilCompletedAsync(statusUrl);
        var queries = Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query);

        var again = await GetJsonAsync(statusUrl);

        Assert.True(again.GetProperty("hasCompleted").GetBoolean());
        Assert.Equal(queries, Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query));
    }

    [Fact]
    public async Task Get_result_streams_a_real_png()
    {
        var done = await WaitUntilCompletedAsync(await SubmitAsync());

        using var response = await Client.GetAsync(ResultLinks(done)[2]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 1000, $"only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        var download = Assert.Single(Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.DownloadResult);
        Assert.EndsWith("/0/2.png", download.Path.Split('?')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_of_several_tasks_reports_and_serves_each_task()
    {
        const string twoTasks = """
            { "tasks": [
                { "modelImage": "https://img.example/a.jpg", "lower": { "image": "https://img.example/jeans.jpg", "kind": "WornByModel" } },
                { "modelImage": "https://img.example/b.jpg", "fullBody": { "image": "https://img.example/dress.jpg" }, "inferenceMode": "Quality" }
            ] }
            """;

        var done = await WaitUntilCompletedAsync(await SubmitAsync(twoTasks));

        Assert.Equal(["SUCCESS", "SUCCESS"], Statuses(done));
        Assert.Equal([0, 1], done.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("index").GetInt32()));
        using var image = await Client.GetAsync(ResultLinks(done, task: 1)[3]);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(PngSignature, (await image.Content.ReadAsByteArrayAsync())[..8]);

        // Kinds and modes reached the service as the contract spells them.
        var submit = Assert.Single(Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit);
        using var wire = JsonDocument.Parse(submit.Body!);
        var tasks = wire.RootElement.GetProperty("data").GetProperty("task_list");
        Assert.Equal(1, tasks[0].GetProperty("lower_image").GetProperty("type").GetInt32());
        Assert.Equal(0, tasks[1].GetProperty("full_image").GetProperty("type").GetInt32());
        Assert.Equal(1, tasks[1].GetProperty("inferenceMode").GetInt32());
    }

    [Fact]
    public async Task More_jobs_than_the_waiter_follows_at_once_all_complete()
    {
        var statusUrls = new List<string>();
        for (var i = 0; i < TryOnJobWaiter.MaxConcurrentWaits + 4; i++)
        {
            statusUrls.Add(await SubmitAsync());
        }

        foreach (var statusUrl in statusUrls)
        {
            var done = await WaitUntilCompletedAsync(statusUrl);
            Assert.Equal(["SUCCESS"], Statuses(done));
        }
    }
}
