using System.Net;
using AliTryOn.Testing;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>
/// Lookups of jobs the app does not follow query the service under the AppCode, whose throttling every shopper shares:
/// one address gets its share a minute, then 429; jobs the app follows are answered without limit.
/// </summary>
public sealed class ServiceLookupLimitTests() : SampleAppTest(new Dictionary<string, string> { ["Sample:ServiceLookupsPerMinute"] = "3" })
{
    [Fact]
    public async Task Lookups_of_keys_the_app_does_not_follow_stop_at_the_share_and_reach_the_service_no_more()
    {
        for (var i = 0; i < 3; i++)
        {
            using var unknown = await Client.GetAsync($"/tryon/{i:x32}");
            await ReadProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        using var status = await Client.GetAsync("/tryon/0123456789abcdef0123456789abcdef");
        var problem = await ReadProblemAsync(status, HttpStatusCode.TooManyRequests);
        Assert.Contains("try again in a minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["60"], status.Headers.GetValues("Retry-After"));

        using var result = await Client.GetAsync("/tryon/0123456789abcdef0123456789abcdef/tasks/0/results/0");
        await ReadProblemAsync(result, HttpStatusCode.TooManyRequests);

        Assert.Equal(3, Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query));
    }

    [Fact]
    public async Task The_images_of_a_job_still_followed_are_served_past_the_share()
    {
        // The second reader's case: a fast task is done while the quality one runs, so the status lists its links
        // while the app still waits for the job; fetching them is no lookup.
        const string twoTasks = """
            { "tasks": [
                { "modelImage": "https://img.example/a.jpg", "lower": { "image": "https://img.example/jeans.jpg", "kind": "WornByModel" } },
                { "modelImage": "https://img.example/b.jpg", "fullBody": { "image": "https://img.example/dress.jpg" }, "inferenceMode": "Quality" }
            ] }
            """;
        var statusUrl = await SubmitAsync(twoTasks);
        var partial = await AdvanceUntilAsync(statusUrl, s => ResultLinks(s, task: 0).Length > 0);
        Assert.False(partial.GetProperty("hasCompleted").GetBoolean());
        for (var i = 0; i < 3; i++)
        {
            using var unknown = await Client.GetAsync($"/tryon/{i:x32}"); // the address's share, spent
        }

        using var image = await Client.GetAsync(ResultLinks(partial, task: 0)[0]);

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
    }

    [Fact]
    public async Task A_job_submitted_here_is_followed_past_the_share()
    {
        var statusUrl = await SubmitAsync();

        for (var i = 0; i < 5; i++)
        {
            await GetJsonAsync(statusUrl);
        }
    }
}
