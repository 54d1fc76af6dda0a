using System.Text.Json.Nodes;
using AliTryOn.Cli.Runs;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Runs;

public sealed class RunStateStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_record_whose_save_failed_before_its_submit_is_not_written_by_a_later_save()
    {
        var path = _folder.File("state.json");
        var store = new RunStateStore(path, emulator: false);
        await store.CheckWritableAsync(CancellationToken.None);

        // The record of batch A cannot be saved (a folder stands where the file goes), so A is never sent.
        File.Delete(path);
        Directory.CreateDirectory(path);
        await Assert.ThrowsAnyAsync<Exception>(() => store.AddAsync(new RunStateBatch(null, []), CancellationToken.None));
        Directory.Delete(path);

        // The run stops: batch B, queued behind A, records itself and is then resolved as never sent.
        var other = new RunStateBatch(null, []);
        await store.AddAsync(other, CancellationToken.None);
        await store.ReplaceAsync(other, replacement: null, CancellationToken.None);

        Assert.Empty(JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray()); // A, never sent, is not there
    }

    [Fact]
    public async Task A_record_replaced_by_its_job_or_removed_is_saved_so()
    {
        var path = _folder.File("state.json");
        var store = new RunStateStore(path, emulator: false);
        var sent = new RunStateBatch(null, []);
        var refused = new RunStateBatch(null, []);

        await store.AddAsync(sent, CancellationToken.None);
        await store.AddAsync(refused, CancellationToken.None);
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray().Count);
        await store.ReplaceAsync(sent, sent with { ResultKey = "rk-1" }, CancellationToken.None);
        await store.ReplaceAsync(refused, replacement: null, CancellationToken.None);

        var batch = Assert.Single(JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray())!;
        Assert.Equal("rk-1", (string?)batch["resultKey"]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReplaceAsync(refused, replacement: null, CancellationToken.None));
    }
}
