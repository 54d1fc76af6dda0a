using System.Net;
using System.Text;
using System.Text.Json;
using AliTryOn.Testing;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>One fresh app per test, and the steps every test takes: submit, follow, download.</summary>
public abstract class SampleAppTest : IDisposable
{
    protected static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A task with a top, the smallest valid request.</summary>
    protected const string OneTask =
        """{ "tasks": [ { "modelImage": "https://img.example/model.jpg", "upper": { "image": "https://img.example/shirt.jpg", "kind": "FlatLay" } } ] }""";

    protected SampleAppTest(IReadOnlyDictionary<string, string>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        Factory = new SampleAppFactory(settings, configureServices);
        Client = Factory.CreateClient();
    }

    protected SampleAppFactory Factory { get; }

    protected HttpClient Client { get; }

    protected TryOnEmulator Emulator => Factory.Emulator;

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Task<HttpResponseMessage> PostAsync(string json) =>
        Client.PostAsync("/tryon", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Submits and returns the status URL from the Location header.</summary>
    protected async Task<string> SubmitAsync(string json = OneTask)
    {
        using var response = await PostAsync(json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    protected async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Polls the app's status endpoint, advancing the fake clock a second between attempts, until the job is
    /// completed. The background waiter runs on the same clock; a bounded number of steps, never real sleeping.
    /// </summary>
    /// <param name="statusUrl">The job's status URL.</param>
    /// <param name="seen">Receives every status answer, in order.</param>
    /// <param name="maxSteps">How many seconds of fake time to allow.</param>
    protected async Task<JsonElement> WaitUntilCompletedAsync(string statusUrl, List<JsonElement>? seen = null, int maxSteps = 300)
    {
        for (var step = 0; step < maxSteps; step++)
        {
            var status = await GetJsonAsync(statusUrl);
            seen?.Add(status);
            if (status.GetProperty("hasCompleted").GetBoolean())
            {
                return status;
            }

            FakeClock.Advance(Factory.Time, TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"{statusUrl} did not complete within {maxSteps} seconds of fake time.");
    }

    /// <summary>Advances the fake clock a second at a time until <paramref name="done"/> holds for the status answer.</summary>
    protected async Task<JsonElement> AdvanceUntilAsync(string statusUrl, Func<JsonElement, bool> done, int maxSteps = 300)
    {
        for (var step = 0; step < maxSteps; step++)
        {
            var status = await GetJsonAsync(statusUrl);
            if (done(status))
            {
                return status;
            }

            FakeClock.Advance(Factory.Time, TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"{statusUrl} did not reach the expected state within {maxSteps} seconds of fake time.");
    }

    protected static string[] Statuses(JsonElement status) =>
        [.. status.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("status").GetString()!)];

    protected static string[] ResultLinks(JsonElement status, int task = 0) =>
        [.. status.GetProperty("tasks")[task].GetProperty("results").EnumerateArray().Select(r => r.GetString()!)];

    protected static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
