using System.Text.Json.Nodes;
using AliTryOn.Cli.Manifest;
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
        var (path, store) = await StartAsync();

        // The record of batch A cannot be saved (a folder stands where the journal goes), so A is never sent.
        Directory.CreateDirectory(store.JournalPath);
        await Assert.ThrowsAnyAsync<Exception>(() => store.AddAsync(Batch("a"), CancellationToken.None));
        Directory.Delete(store.JournalPath);

        // The run stops: batch B, queued behind A, records itself and is then resolved as never sent.
        var other = Batch("b");
        await store.AddAsync(other, CancellationToken.None);
        await store.ReplaceAsync(other, replacement: null, CancellationToken.None);
        Assert.Empty(RecordedState.Batches(path));

        Assert.True(await store.TryFoldAsync(CancellationToken.None));
        Assert.Empty(JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray()); // A, never sent, is not there
    }

    [Fact]
    public async Task A_record_replaced_by_its_job_or_removed_is_saved_so()
    {
        var (path, store) = await StartAsync();
        var sent = Batch("sent");
        var refused = Batch("refused");

        await store.AddAsync(sent, CancellationToken.None);
        await store.AddAsync(refused, CancellationToken.None);
        Assert.Equal(2, RecordedState.Batches(path).Count);
        await store.ReplaceAsync(sent, sent with { ResultKey = "rk-1" }, CancellationToken.None);
        await store.ReplaceAsync(refused, replacement: null, CancellationToken.None);

        var batch = Assert.Single(RecordedState.Batches(path))!;
        Assert.Equal("rk-1", (string?)batch["resultKey"]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReplaceAsync(refused, replacement: null, CancellationToken.None));

        // The run's end folds the journal in: the state file alone says it, and the journal is gone.
        Assert.True(await store.TryFoldAsync(CancellationToken.None));
        Assert.False(File.Exists(store.JournalPath));
        Assert.Equal("rk-1", (string?)Assert.Single(JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray())!["resultKey"]);
    }

    [Fact]
    public async Task A_run_of_thousands_of_batches_does_not_write_the_whole_state_at_each_one()
    {
        // Before the journal, each record and each key rewrote the state whole: 2 × 3,000 writes of a file of up to
        // megabytes. Now the state file is written when the journal outgrows it.
        var (path, store) = await StartAsync();
        var writes = 0;
        var lastWrite = File.GetLastWriteTimeUtc(path);
        for (var i = 0; i < 3000; i++)
        {
            var batch = Batch($"row-{i}");
            await store.AddAsync(batch, CancellationToken.None);
            await store.ReplaceAsync(batch, batch with { ResultKey = $"rk-{i}" }, CancellationToken.None);
            if (File.GetLastWriteTimeUtc(path) != lastWrite)
            {
                writes++;
                lastWrite = File.GetLastWriteTimeUtc(path);
            }
        }

        Assert.InRange(writes, 1, 4);
        Assert.True(new FileInfo(store.JournalPath).Length <= Math.Max(1024 * 1024, new FileInfo(path).Length) + 1024);

        // Nothing lost: what the files say, read back by another run, is every batch with its key, in order.
        var reloaded = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"rk-{i}"), reloaded.SubmittedBatches.Select(b => b.ResultKey));
        Assert.False(File.Exists(store.JournalPath)); // folded in by the load
    }

    [Fact]
    public async Task A_journal_left_by_a_killed_run_is_folded_in_by_the_next_skipping_what_was_never_written_whole()
    {
        var (path, store) = await StartAsync();
        var answered = Batch("answered");
        await store.AddAsync(answered, CancellationToken.None);
        await store.ReplaceAsync(answered, answered with { ResultKey = "rk-answered" }, CancellationToken.None);
        await store.AddAsync(Batch("in-flight"), CancellationToken.None);

        // Killed as it appended: a line cut short (an append that failed midway leaves one too, ended by the next).
        File.AppendAllText(store.JournalPath, "{\"rows\":[{\"id\":\"never-sent\"");

        // check only looks: it sees the records and leaves the journal.
        var looked = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: true, CancellationToken.None);
        Assert.Equal(["rk-answered", null], looked.SubmittedBatches.Select(b => b.ResultKey));
        Assert.True(File.Exists(store.JournalPath));

        var next = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None);
        Assert.Equal(["rk-answered", null], next.SubmittedBatches.Select(b => b.ResultKey));
        Assert.Equal(2, next.SubmittedBatches.Count);
        Assert.False(File.Exists(store.JournalPath));
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_journal_already_folded_in_when_the_run_was_killed_changes_nothing_when_read_again()
    {
        // Killed between writing the state file whole and deleting the journal: the next run reads both.
        var (path, store) = await StartAsync();
        var kept = Batch("kept");
        var gone = Batch("gone");
        await store.AddAsync(kept, CancellationToken.None);
        await store.AddAsync(gone, CancellationToken.None);
        await store.ReplaceAsync(kept, kept with { ResultKey = "rk-kept" }, CancellationToken.None);
        await store.ReplaceAsync(gone, replacement: null, CancellationToken.None);
        await store.AddAsync(Batch("last"), CancellationToken.None);
        var journal = File.ReadAllText(store.JournalPath);
        Assert.True(await store.TryFoldAsync(CancellationToken.None));
        File.WriteAllText(store.JournalPath, journal);

        var next = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None);

        Assert.Equal(["rk-kept", null], next.SubmittedBatches.Select(b => b.ResultKey));
        Assert.Equal(["kept", "last"], JsonNode.Parse(File.ReadAllText(path))!["batches"]!.AsArray().Select(b => (string?)b!["rows"]![0]!["id"]));
    }

    [Fact]
    public async Task A_journal_whose_state_file_was_deleted_to_start_over_is_not_read()
    {
        var (path, store) = await StartAsync();
        await store.AddAsync(Batch("old"), CancellationToken.None);
        File.Delete(path); // as the README says, to start over

        var fresh = new RunStateStore(path, emulator: false);
        await fresh.CheckWritableAsync(CancellationToken.None);
        var plan = await fresh.LoadAsync([], readOnly: false, CancellationToken.None);

        Assert.Empty(plan.SubmittedBatches);
        Assert.False(File.Exists(fresh.JournalPath));
    }

    /// <summary>A run's store of a new state file, written before anything is sent, as <c>run</c> does.</summary>
    private async Task<(string Path, RunStateStore Store)> StartAsync()
    {
        var path = _folder.File("state.json");
        var store = new RunStateStore(path, emulator: false);
        await store.CheckWritableAsync(CancellationToken.None);
        return (path, store);
    }

    /// <summary>A batch of one row, <paramref name="id"/>.</summary>
    private static RunStateBatch Batch(string id) =>
        new(null, [new RunStateRow(id, new WrittenTask($"https://img.example/{id}.jpg", new WrittenGarment("https://img.example/top.jpg", GarmentKind.FlatLay), null, null, InferenceMode.Fast))]);
}
