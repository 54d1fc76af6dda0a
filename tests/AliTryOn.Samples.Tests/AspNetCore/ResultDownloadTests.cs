using System.Net;
using AliTryOn.Testing;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>Result images come from the storage host, never with the AppCode, and links outlive the storage URLs.</summary>
public sealed class ResultDownloadTests : SampleAppTest
{
    [Fact]
    public async Task Downloads_carry_no_credentials_while_api_calls_do()
    {
        var done = await WaitUntilCompletedAsync(await SubmitAsync());
        foreach (var link in ResultLinks(done))
        {
            using var response = await Client.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var downloads = Emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.DownloadResult).ToArray();
        Assert.Equal(4, downloads.Length);
        foreach (var download in downloads)
        {
            // The storage host refuses credentials with 403 AccessDenied, so a leak would also fail the status check.
            Assert.Equal(200, download.Status);
            Assert.DoesNotContain(download.Headers.Keys, h => h.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(download.Headers.Keys, h => h.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase));
        }

        // The recording does see credentials where they belong: every API call was authenticated.
        var apiCalls = Emulator.Requests.Where(r => r.Operation is TryOnEmulatorOperation.Submit or TryOnEmulatorOperation.Query).ToArray();
        Assert.NotEmpty(apiCalls);
        Assert.All(apiCalls, call => Assert.Equal("APPCODE ***", call.Headers["Authorization"]));
        Assert.All(apiCalls, call => Assert.False(string.IsNullOrEmpty(call.Nonce)));
    }

    [Fact]
    public async Task An_expired_storage_url_is_refreshed_with_a_new_query()
    {
        var done = await WaitUntilCompletedAsync(await SubmitAsync());
        FakeClock.Advance(Factory.Time, TimeSpan.FromHours(2)); // storage URLs live an hour
        Emulator.ClearRequests();

        using var response = await Client.GetAsync(ResultLinks(done)[0]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PngSignature, (await response.Content.ReadAsByteArrayAsync())[..8]);
        var calls = Emulator.Requests.Select(r => (r.Operation, r.Status)).ToArray();
        Assert.Equal(
            [(TryOnEmulatorOperation.DownloadResult, 403), (TryOnEmulatorOperation.Query, 200), (TryOnEmulatorOperation.DownloadResult, 200)],
            calls);

        // The fresh URLs are kept: the next image needs no query.
        Emulator.ClearRequests();
        using var next = await Client.GetAsync(ResultLinks(done)[1]);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal((TryOnEmulatorOperation.DownloadResult, 200), Assert.Single(Emulator.Requests.Select(r => (r.Operation, r.Status))));
    }

    [Fact]
    public async Task A_failed_task_has_no_results_and_its_images_are_404()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TaskFailed());
        var statusUrl = await SubmitAsync();

        var done = await WaitUntilCompletedAsync(statusUrl);

        Assert.Equal(["FAILED"], Statuses(done));
        Assert.Empty(ResultLinks(done));
        using var response = await Client.GetAsync($"{statusUrl}/tasks/0/results/0");
        await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain(Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.DownloadResult);
    }

    [Fact]
    public async Task Results_that_do_not_exist_are_404()
    {
        var statusUrl = await SubmitAsync();
        using var early = await Client.GetAsync($"{statusUrl}/tasks/0/results/0");
        await ReadProblemAsync(early, HttpStatusCode.NotFound); // not finished yet

        await WaitUntilCompletedAsync(statusUrl);
        using var noSuchTask = await Client.GetAsync($"{statusUrl}/tasks/1/results/0");
        await ReadProblemAsync(noSuchTask, HttpStatusCode.NotFound);
        using var noSuchImage = await Client.GetAsync($"{statusUrl}/tasks/0/results/4");
        await ReadProblemAsync(noSuchImage, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_job_this_process_never_saw_is_followed_and_served_by_its_key()
    {
        // As after a restart: the job exists in the service, the app has no record of it.
        var other = Emulator.CreateClient();
        var job = await other.SubmitAsync(new TryOnTask(
            new Uri("https://img.example/model.jpg"),
            Upper: new GarmentImage(new Uri("https://img.example/shirt.jpg"), GarmentKind.WornByModel)));
        var statusUrl = $"/tryon/{job.ResultKey}";

        var first = await GetJsonAsync(statusUrl);
        Assert.Equal(job.ResultKey, first.GetProperty("resultKey").GetString());
        Assert.False(first.GetProperty("hasCompleted").GetBoolean());

        var done = await WaitUntilCompletedAsync(statusUrl);
        Assert.Equal(["SUCCESS"], Statuses(done));
        using var image = await Client.GetAsync(ResultLinks(done)[0]);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(PngSignature, (await image.Content.ReadAsByteArrayAsync())[..8]);
    }
}
