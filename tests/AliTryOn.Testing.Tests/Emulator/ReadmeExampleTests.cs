using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>The README's emulator example, as written there, so the documentation cannot drift from the API.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task The_readme_example_runs_as_documented()
    {
        var time = new FakeTimeProvider();                                     // Microsoft.Extensions.TimeProvider.Testing
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var task = new TryOnTask(new Uri("https://example.com/m.jpg"), Upper: new GarmentImage(new Uri("https://example.com/t.jpg"), GarmentKind.FlatLay));
        emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.QuotaExhausted());  // the next submit fails
        TryOnClient client = emulator.CreateClient();                          // in memory, on the same clock

        await Assert.ThrowsAsync<TryOnQuotaExceededException>(() => client.SubmitAsync(task));
        var submitted = await client.SubmitAsync(task);
        time.Advance(TimeSpan.FromSeconds(30));                                // fast-forward: the job is done
        var job = await client.QueryAsync(submitted.ResultKey);
        Assert.Equal(4, job.ResultUrls.Count);
        Assert.Equal(2, emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
    }

    [Fact]
    public async Task The_package_readmes_dependency_injection_example_keeps_calls_downloads_and_local_images_in_memory()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddTryOnEmulator(o => o.QualityDuration = TimeSpan.FromSeconds(5));   // optional, before the client
        services.AddTryOnEmulatorClient();                                            // the TryOnClient your code resolves
        services.AddSingleton<TryOnImageHost>(sp => sp.GetRequiredService<TryOnEmulator>().ImageHost); // local images, in memory
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();
        var emulator = provider.GetRequiredService<TryOnEmulator>();

        var submitted = await client.SubmitAsync(new TryOnTask(
            TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"),
            new GarmentImage(new Uri("https://example.com/t.jpg"), GarmentKind.FlatLay),
            InferenceMode: InferenceMode.Quality));
        time.Advance(TimeSpan.FromMinutes(1));                                        // queued, then 5 s of work
        var job = await client.QueryAsync(submitted.ResultKey);
        using var image = new MemoryStream();
        var saved = await client.DownloadResultAsync(job.ResultUrls[0], image);

        Assert.True(job.HasCompleted);
        Assert.Equal("image/png", saved.ContentType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.ToArray()[..4]);
        Assert.Equal(1, emulator.ImageHost.PublishCount);
        Assert.Equal(1, emulator.ImageHost.DeleteCount); // deleted once the client saw the job finish
    }

    [Fact]
    public async Task Image_rules_take_the_uri_a_task_holds_as_the_client_submits_it()
    {
        var emulator = new TryOnEmulator();
        var shirt = new Uri("https://EXAMPLE.com/t.jpg"); // the client submits https://example.com/t.jpg
        emulator.Images.MarkInvalid(shirt);

        await Assert.ThrowsAsync<TryOnInvalidImageException>(() => emulator.CreateClient().SubmitAsync(new TryOnTask(new Uri("https://example.com/m.jpg"), Upper: new GarmentImage(shirt, GarmentKind.FlatLay))));
        Assert.Throws<ArgumentException>("url", () => emulator.Images.MarkUnreachable(new Uri("/t.jpg", UriKind.Relative)));
        Assert.Throws<ArgumentNullException>("url", () => emulator.Images.MarkContentRejected((Uri)null!));
    }
}
