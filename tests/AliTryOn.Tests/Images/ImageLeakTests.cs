using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.Images;

/// <summary>
/// A published image's URL carries the storage's signature, a credential to the image: it never shows in logs at any
/// level, in errors, or in the text of the models, whatever happens to the submit.
/// </summary>
public sealed class ImageLeakTests
{
    private const string StorageSecret = "SENTINEL-storage-secret";

    [Fact]
    public async Task No_storage_signature_or_storage_error_text_appears_in_logs_errors_or_models()
    {
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Trace };
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var shown = new List<string>();
        var host = new RecordingImageHost { FailWith = u => u.Name == "broken.png" ? new HttpRequestException($"403 from https://bucket.example.test/x?X-Amz-Credential={StorageSecret}") : null };
        var transport = Answers.InOrder(TimeProvider.System, Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "SUCCESS"), Answers.Error(HttpStatusCode.BadRequest, "23500007", "The uploaded image does not meet the requirements"));
        var client = new TryOnClient(TestOptions.Create(o => { o.ImageHost = host; o.Retry.MaxRetries = 0; }), transport, loggerFactory: factory);
        var shirt = new GarmentImage(new Uri($"https://img.example.test/shirt.jpg?token={StorageSecret}"), GarmentKind.FlatLay);

        var task = new TryOnTask(TryOnImage.FromBytes(Shared.TestImages.Png(600, 800), "image/png", "me.png"), shirt);
        var job = await client.SubmitAsync(task);                             // published, logged at Debug with the URLs
        shown.Add(job.ToString());
        shown.Add(task.ToString());
        shown.Add((await client.QueryAsync("rk-1")).ToString());               // finished: the images are deleted
        shown.Add((await Assert.ThrowsAsync<TryOnInvalidImageException>(() => client.SubmitAsync(task))).ToString());
        shown.Add((await Assert.ThrowsAsync<TryOnImagePublishException>(() => client.SubmitAsync(
            task with { Upper = new GarmentImage(TryOnImage.FromBytes(Shared.TestImages.Png(500, 500), "image/png", "broken.png"), GarmentKind.FlatLay) }))).Message);

        Assert.Contains(logs.Entries, e => e.EventId.Id == 1101); // the task was logged, its images included
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1140);
        Assert.All(logs.Messages.Concat(logs.Entries.Select(e => e.Message + e.Exception)).Concat(shown), text => Assert.DoesNotContain("SENTINEL", text, StringComparison.Ordinal));
        Assert.All(logs.Entries.SelectMany(e => e.Values).Select(p => p.Value?.ToString() ?? string.Empty), value => Assert.DoesNotContain("SENTINEL", value, StringComparison.Ordinal));
    }
}
