using System.Text.Json.Nodes;
using AliTryOn.Cli.Hosting;
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

    [Fact]
    public async Task Service_jobs_a_killed_run_left_in_the_journal_are_refused_by_an_emulator_run_and_stay_the_services()
    {
        // The second reader's case: the check of the emulator setting read the state file alone (written empty at the
        // start), so an --emulator run took the service's jobs from the journal and wrote them under its own setting;
        // the next run against the service then advised deleting the file, and the billed job would go again.
        var (path, store) = await StartAsync();
        var batch = Batch("alice");
        await store.AddAsync(batch, CancellationToken.None);
        await store.ReplaceAsync(batch, batch with { ResultKey = "service-job-1" }, CancellationToken.None);

        var emulatorRun = new RunStateStore(path, emulator: true);
        var refused = await Assert.ThrowsAsync<CliException>(() => emulatorRun.LoadAsync([], readOnly: false, CancellationToken.None));
        Assert.Contains("records jobs of the service; the in-process emulator cannot wait for them", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CliException>(() => new RunStateStore(path, emulator: true).LoadAsync([], readOnly: true, CancellationToken.None));

        var plan = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None);
        Assert.Equal(["service-job-1"], plan.SubmittedBatches.Select(b => b.ResultKey));
        Assert.False((bool)JsonNode.Parse(File.ReadAllText(path))!["emulator"]!);
    }

    [Fact]
    public async Task An_emulator_run_on_an_empty_service_state_file_marks_it_before_its_first_record()
    {
        // Its jobs, left in the journal by a kill, are then refused by a run against the service, as the file's would be.
        var (path, _) = await StartAsync();
        var emulatorRun = new RunStateStore(path, emulator: true);
        await emulatorRun.LoadAsync([], readOnly: false, CancellationToken.None);
        Assert.True((bool)JsonNode.Parse(File.ReadAllText(path))!["emulator"]!);
        await emulatorRun.AddAsync(Batch("alice") with { ResultKey = "emulator-job" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CliException>(() => new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None));

        Assert.Contains("records jobs of the in-process emulator (an --emulator run)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_1_state_file_is_upgraded_as_a_run_loads_it_so_a_kill_and_a_manifest_edit_lose_no_job()
    {
        // Version 1 recorded rows by position for one exact manifest; read once as this version, it no longer depends on it.
        var path = _folder.File("state.json");
        var (a, b) = (Entry(2, "a"), Entry(3, "b"));
        File.WriteAllText(path, new JsonObject
        {
            ["version"] = 1,
            ["emulator"] = false,
            ["batches"] = new JsonArray(new JsonObject { ["resultKey"] = "old-job", ["inputIndices"] = new JsonArray(0) }),
            ["manifestHash"] = RunStateStore.LegacyHash([a, b]),
        }.ToJsonString());
        var run = new RunStateStore(path, emulator: false);
        await run.CheckWritableAsync(CancellationToken.None);
        await run.LoadAsync([a, b], readOnly: false, CancellationToken.None);
        Assert.Equal(3, (int)JsonNode.Parse(File.ReadAllText(path))!["version"]!);
        var sent = new RunStateBatch(null, [RunStateStore.Identity(b)]);
        await run.AddAsync(sent, CancellationToken.None);
        await run.ReplaceAsync(sent, sent with { ResultKey = "new-job" }, CancellationToken.None);

        // Killed here; then a row is added to the manifest.
        var plan = await new RunStateStore(path, emulator: false).LoadAsync([a, b, Entry(4, "c")], readOnly: false, CancellationToken.None);

        Assert.Equal(["old-job", "new-job"], plan.SubmittedBatches.Select(x => x.ResultKey));
    }

    [Fact]
    public async Task A_state_file_that_cannot_be_made_leaves_the_journal_beside_it()
    {
        // Only a state file deleted to start over drops its journal: one that cannot be written (a folder in its place)
        // loses nothing.
        var (path, store) = await StartAsync();
        await store.AddAsync(Batch("alice"), CancellationToken.None);
        File.Delete(path);
        Directory.CreateDirectory(path);

        await Assert.ThrowsAnyAsync<Exception>(() => new RunStateStore(path, emulator: false).CheckWritableAsync(CancellationToken.None));

        Assert.True(File.Exists(store.JournalPath));
    }

    [Fact]
    public async Task A_row_given_a_new_id_is_new_work_and_its_old_job_is_only_waited_for()
    {
        // How a row whose task failed in its job is tried again: its job stays recorded under the old id.
        var (path, store) = await StartAsync();
        var failed = Entry(2, "bob");
        await store.AddAsync(new RunStateBatch("rk-failed", [RunStateStore.Identity(failed)]), CancellationToken.None);
        Assert.True(await store.TryFoldAsync(CancellationToken.None));
        var renamed = failed with { Id = "bob-2" };

        var plan = await new RunStateStore(path, emulator: false).LoadAsync([renamed], readOnly: false, CancellationToken.None);

        Assert.Equal(["bob-2"], plan.Pending.Select(e => e.Id));
        Assert.Equal(1, plan.ManifestCount);
        Assert.Equal([1], Assert.Single(plan.SubmittedBatches).InputIndices); // the old row, past the manifest's: not reported
    }

    [Fact]
    public async Task A_run_that_recorded_nothing_does_not_write_the_state_file_again_at_its_end()
    {
        // The chaos test's finding: each run stopped before it sent anything rewrote the whole state file.
        var (path, store) = await StartAsync();
        await store.AddAsync(Batch("alice") with { ResultKey = "rk-alice" }, CancellationToken.None);
        Assert.True(await store.TryFoldAsync(CancellationToken.None));
        var written = File.GetLastWriteTimeUtc(path);
        var content = File.ReadAllText(path);
        var next = new RunStateStore(path, emulator: false);
        await next.LoadAsync([], readOnly: false, CancellationToken.None);

        Assert.True(await next.TryFoldAsync(CancellationToken.None));

        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Fact]
    public async Task Saved_images_a_killed_run_recorded_are_read_again_each_file_the_last_jobs_that_saved_it()
    {
        var (path, store) = await StartAsync();
        var old = Batch("a") with { ResultKey = "rk-old" };
        var changed = Batch("a-changed") with { ResultKey = "rk-new" };
        await store.AddAsync(old, CancellationToken.None);
        await store.AddAsync(changed, CancellationToken.None);
        Assert.True(await store.RecordSavedAsync("rk-old", new RunStateImage(0, 0, "a-0.png", 8)));
        Assert.True(await store.RecordSavedAsync("rk-old", new RunStateImage(0, 1, "a-1.png", 8)));
        Assert.True(await store.RecordSavedAsync("rk-old", new RunStateImage(0, 1, "a-1.png", 9))); // saved again: replaced
        Assert.True(await store.RecordSavedAsync("rk-new", new RunStateImage(0, 0, "a-0.png", 7))); // the new job's now
        Assert.False(await store.RecordSavedAsync("rk-unknown", new RunStateImage(0, 0, "x-0.png", 1)));

        // Killed: the journal alone has them; read once, and again after a fold whose journal was left behind.
        var journal = File.ReadAllText(store.JournalPath);
        var plan = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None);
        File.WriteAllText(store.JournalPath, journal);
        var again = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: false, CancellationToken.None);

        foreach (var read in new[] { plan, again })
        {
            Assert.Null(read.SavedImage("rk-old", 0, 0));
            Assert.Equal(new RunStateImage(0, 1, "a-1.png", 9), read.SavedImage("rk-old", 0, 1));
            Assert.Equal(new RunStateImage(0, 0, "a-0.png", 7), read.SavedImage("rk-new", 0, 0));
            Assert.Null(read.SavedImage("rk-new", 1, 0));
        }

        Assert.Equal(2, RecordedState.Batches(path).Count);
    }

    [Fact]
    public async Task Saved_records_made_many_at_once_beside_submits_and_folds_are_all_read_again()
    {
        // Reader's check: downloads record concurrently with submits, and the journal is folded mid-run.
        var (path, store) = await StartAsync();
        var keyed = new List<string>();
        for (var i = 0; i < 1500; i++)
        {
            var batch = Batch($"row-{i}");
            await store.AddAsync(batch, CancellationToken.None);
            await store.ReplaceAsync(batch, batch with { ResultKey = $"rk-{i}" }, CancellationToken.None);
            keyed.Add($"rk-{i}");
        }

        var submits = Task.Run(async () =>
        {
            for (var i = 1500; i < 3000; i++)
            {
                var batch = Batch($"row-{i}");
                await store.AddAsync(batch, CancellationToken.None);
                await store.ReplaceAsync(batch, batch with { ResultKey = $"rk-{i}" }, CancellationToken.None);
            }
        });
        var records = Enumerable.Range(0, 1500).SelectMany(i => Enumerable.Range(0, 4).Select(n => Task.Run(() => store.RecordSavedAsync($"rk-{i}", new RunStateImage(0, n, $"row-{i}-{n}.png", 1000 + n))))).ToArray();
        Assert.All(await Task.WhenAll(records), Assert.True);
        await submits;

        var read = await new RunStateStore(path, emulator: false).LoadAsync([], readOnly: true, CancellationToken.None);
        Assert.Equal(3000, read.SubmittedBatches.Count);
        for (var i = 0; i < 1500; i++)
        {
            for (var n = 0; n < 4; n++)
            {
                Assert.Equal(new RunStateImage(0, n, $"row-{i}-{n}.png", 1000 + n), read.SavedImage($"rk-{i}", 0, n));
            }
        }

        Assert.True(await store.TryFoldAsync(CancellationToken.None));
    }

    private static ManifestEntry Entry(int row, string id)
    {
        var written = new WrittenTask($"https://img.example/{id}.jpg", new WrittenGarment("https://img.example/top.jpg", GarmentKind.FlatLay), null, null, InferenceMode.Fast);
        return new ManifestEntry(row, id, written.ToTask(), written);
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
