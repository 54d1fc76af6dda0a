namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>A bulk run over real sockets against the emulator server on 127.0.0.1, with throttling on the way.</summary>
public sealed class KestrelBulkTests(KestrelEmulatorFixture server) : IClassFixture<KestrelEmulatorFixture>, IDisposable
{
    public void Dispose() => server.Emulator.Faults.Clear();

    [Fact]
    public async Task Every_task_of_a_bulk_run_ends_once_and_each_batch_is_submitted_once()
    {
        var client = server.CreateSignedClient();
        var tasks = Enumerable.Range(0, 23)
            .Select(i => new TryOnTask(
                new Uri($"https://img.test/bulk-model-{i}.png"),
                Upper: new GarmentImage(new Uri($"https://img.test/bulk-top-{i}.png"), GarmentKind.FlatLay)))
            .ToArray();
        var before = server.Emulator.Requests.Count;
        server.Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled());
        var accepted = new List<TryOnBulkBatch>();

        var outcomes = new List<TryOnBulkOutcome>();
        await foreach (var outcome in client.RunBulkAsync(tasks, new TryOnBulkOptions
        {
            MaxConcurrentBatches = 2,
            OnBatchSubmitted = (batch, _) =>
            {
                accepted.Add(batch);
                return Task.CompletedTask;
            },
        }))
        {
            outcomes.Add(outcome);
        }

        Assert.Equal(Enumerable.Range(0, 23), outcomes.Select(o => o.InputIndex).Order());
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.All(outcomes, o => Assert.NotEmpty(o.ResultUrls));
        Assert.Equal(3, accepted.Count); // 10 + 10 + 3
        Assert.Equal(Enumerable.Range(0, 23), accepted.SelectMany(b => b.InputIndices).Order());
        var submits = server.Emulator.Requests.Skip(before).Where(r => r.Operation == TryOnEmulatorOperation.Submit).ToArray();
        Assert.Equal(4, submits.Length); // one throttled, then retried
        Assert.Equal(3, submits.Count(r => r.CreatedJob));
        Assert.Equal(accepted.Select(b => b.ResultKey).Order(), submits.Where(r => r.CreatedJob).Select(r => r.ResultKey).Order());
    }
}
