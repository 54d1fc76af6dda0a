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
}
