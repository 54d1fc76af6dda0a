using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;
using AliTryOn.IO;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// Loads and saves a <see cref="RunState"/>. A run's changes are appended to a journal beside the state file
/// (<c>&lt;state file&gt;.journal</c>, one <see cref="RunStateChange"/> a line, flushed to the disk before the call
/// returns), and folded into the state file, written whole (see <see cref="AtomicFile"/>), when a run loads it, when
/// the journal has grown to the state file's size, and when a run ends: a run of thousands of batches writes in all a
/// few times what its state holds, not the whole state at every batch. A crash leaves the state file and the journal,
/// which the next run folds in; a change whose line was not flushed whole was never acknowledged, and is skipped.
/// </summary>
internal sealed class RunStateStore(string path, bool emulator)
{
    /// <summary>The journal is folded in once it is larger than the state file and this.</summary>
    private const long MinimumFoldBytes = 1024 * 1024;

    private readonly List<RunStateBatch> _batches = [];

    /// <summary>
    /// How the output folder's file names compare: without regard to case, as any folder may be on a file system that
    /// ignores it (Windows, macOS, a FAT or NTFS drive on Linux), where <c>photo-0.png</c> saved for one job is
    /// <c>Photo-0.png</c> of another. Taken as one file where they are two, an image is fetched again; taken as two where
    /// they are one, a row would keep another job's image.
    /// </summary>
    public static StringComparer FileNames { get; } = StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// Each saved image's file, by the job that saved it last: a file saved again for another job (a changed row of the
    /// same id) is no longer the first job's image. Compared as <see cref="FileNames"/>.
    /// </summary>
    private readonly Dictionary<string, string> _savedBy = new(FileNames);

    /// <summary>
    /// One change at a time: a run's records come from its submits, one at a time, and from its downloads, many at once.
    /// </summary>
    private readonly SemaphoreSlim _changing = new(1, 1);
    private long _journalBytes;
    private long _stateBytes;

    /// <summary>Whether a line may have been left unfinished by a failed append: the next one starts on a line of its own.</summary>
    private bool _unfinishedLine;

    public string Path { get; } = path;

    /// <summary>The journal of changes not yet folded into the state file.</summary>
    public string JournalPath => Path + ".journal";

    /// <summary>
    /// Takes the state file for this run alone, until the returned lock is disposed: two runs of one state file would
    /// submit the same rows twice. The lock is the file's <c>.lock</c> companion, held open unshared (released by the
    /// system if the process dies); the file stays for the next run.
    /// </summary>
    /// <exception cref="CliException">Another run holds it.</exception>
    /// <exception cref="IOException">The lock file cannot be made.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public IDisposable Lock()
    {
        var lockPath = Path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (HeldElsewhere(exception))
        {
            throw new CliException($"Another run is using the state file '{Path}' (its lock '{lockPath}' is held), so nothing was submitted: two runs of one state file would submit the same rows twice. Let that run finish (it records its jobs there), or give this one another --output (or --state).");
        }
    }

    /// <summary>
    /// Whether opening failed because another process holds the file: a sharing or lock violation on Windows; on Linux
    /// and macOS, .NET's lock of an unshared file would block (its code is the errno, EWOULDBLOCK: 11 and 35).
    /// </summary>
    private static bool HeldElsewhere(IOException exception) =>
        OperatingSystem.IsWindows()
            ? exception.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
            : exception.HResult == (OperatingSystem.IsLinux() ? 11 : 35);

    /// <summary>
    /// The plan of a run of <paramref name="entries"/>: the recorded batches matched to the manifest's rows by identity
    /// (id and task as written, local images by the SHA-256 of their contents); recorded rows the manifest no longer has
    /// are added after its own.
    /// </summary>
    /// <param name="entries">The manifest's rows.</param>
    /// <param name="readOnly">Only look (<c>check</c>): leave what a crash left beside the state file in place.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="CliException">
    /// The state file is unreadable, of version 1 for another manifest, or made with a different emulator setting (the
    /// in-process emulator's jobs end with its invocation; the service's cannot be waited for on the emulator).
    /// </exception>
    public async Task<RunPlan> LoadAsync(IReadOnlyList<ManifestEntry> entries, bool readOnly, CancellationToken cancellationToken = default)
    {
        // A run owns its state file: what a crash left half-written beside it is of no use.
        if (!readOnly)
        {
            AtomicFile.DeleteTemporaries(Path);
        }

        entries = await LocalImages.IdentifyAsync(entries, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path))
        {
            // A journal without its state file belongs to a state deleted to start over.
            if (!readOnly)
            {
                File.Delete(JournalPath);
            }

            return new RunPlan(entries, entries.Count, []);
        }

        RunState? state;
        try
        {
            var json = await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false);
            state = JsonSerializer.Deserialize(json, CliJsonContext.Default.RunState);
        }
        catch (JsonException exception)
        {
            throw new CliException($"The state file '{Path}' is not valid: {exception.Message} Delete it to start over (jobs it lists would be submitted again).");
        }

        if (state is null || state.Version is < 1 or > RunState.CurrentVersion)
        {
            throw new CliException($"The state file '{Path}' is not a state file of this tool. Use --state <path> for a new run.");
        }

        var batches = state.Version == 1 ? Upgrade(state, entries) : state.Batches;
        _batches.AddRange(batches);
        foreach (var batch in batches.Where(b => b.ResultKey is not null))
        {
            foreach (var image in batch.Saved ?? [])
            {
                _savedBy[image.File] = batch.ResultKey!;
            }
        }

        _stateBytes = new FileInfo(Path).Length;
        var journaled = await ReplayAsync(cancellationToken).ConfigureAwait(false);

        // With the journal's batches: a killed run's jobs are there, not in the state file. They were recorded under the
        // state file's setting, which a run writes into it (below) before its first record.
        if (_batches.Count > 0 && (state.Emulator || emulator))
        {
            throw new CliException(state.Emulator == emulator
                ? $"The state file '{Path}' records jobs of the in-process emulator of an earlier --emulator run; they ended with it and cannot be waited for. Its report stays as it is. To run again, delete the state file or use another --output (or --state)."
                : state.Emulator
                    ? $"The state file '{Path}' records jobs of the in-process emulator (an --emulator run); the service never had them. Delete it, or use another --output (or --state), to run against the service."
                    : $"The state file '{Path}' records jobs of the service; the in-process emulator cannot wait for them. Run without --emulator to resume, or use another --output (or --state).");
        }

        if (!readOnly && (journaled || state.Version == 1 || state.Emulator != emulator))
        {
            // The run starts from one file, of this run's setting, whose rows do not depend on the manifest (version 1's
            // positions did), which a person may read (or edit, as a row's message may advise); the journal this run
            // appends to then goes with that file. A file of version 2, the same shape, is left for the end of the run.
            await FoldAsync(cancellationToken).ConfigureAwait(false);
        }

        return Plan(entries, [.. _batches]);
    }

    /// <summary>
    /// Writes the state file whole with every change, and deletes the journal, so that the state file alone says what
    /// was recorded. A failure leaves the journal, which the next run folds in.
    /// </summary>
    /// <exception cref="IOException">The state file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    private async Task FoldAsync(CancellationToken cancellationToken)
    {
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        _journalBytes = 0;
        _unfinishedLine = false;
        File.Delete(JournalPath);
    }

    /// <summary>
    /// Applies the journal's changes to the batches read from the state file; whether there was a journal. A line that
    /// does not read as a change is one whose append failed or was cut off, so its call never returned: skipped.
    /// </summary>
    private async Task<bool> ReplayAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(JournalPath))
        {
            return false;
        }

        foreach (var line in await File.ReadAllLinesAsync(JournalPath, cancellationToken).ConfigureAwait(false))
        {
            RunStateChange? change;
            try
            {
                change = string.IsNullOrWhiteSpace(line) ? null : JsonSerializer.Deserialize(line, CliJsonContext.Default.RunStateChange);
            }
            catch (JsonException)
            {
                continue;
            }

            if (change is not null)
            {
                Apply(change);
            }
        }

        return true;
    }

    /// <summary>Applies one change to the batches in memory, as <see cref="RunStateChange"/> defines it.</summary>
    private void Apply(RunStateChange change)
    {
        if (change is { ResultKey: { } key, Saved: { } saved })
        {
            ApplySaved(key, saved);
            return;
        }

        var rows = change.Rows ?? change.Batch?.Rows ?? [];
        var at = _batches.FindIndex(b => (b.Rows ?? []).SequenceEqual(rows));
        if (change.Batch is null)
        {
            if (at >= 0)
            {
                _batches.RemoveAt(at);
            }
        }
        else if (at >= 0)
        {
            _batches[at] = change.Batch;
        }
        else
        {
            _batches.Add(change.Batch);
        }
    }

    /// <summary>
    /// Adds <paramref name="image"/> to the saved images of the batch of job <paramref name="resultKey"/> (in place of
    /// one of the same task and index, or file), and takes its file from the batch that had it before, if another.
    /// </summary>
    private void ApplySaved(string resultKey, RunStateImage image)
    {
        var at = _batches.FindIndex(b => b.ResultKey == resultKey);
        if (at < 0)
        {
            return;
        }

        if (_savedBy.TryGetValue(image.File, out var owner) && owner != resultKey && _batches.FindIndex(b => b.ResultKey == owner) is var was and >= 0)
        {
            var left = (_batches[was].Saved ?? []).Where(s => !_savedBy.Comparer.Equals(s.File, image.File)).ToArray();
            _batches[was] = _batches[was] with { Saved = left.Length > 0 ? left : null };
        }

        var batch = _batches[at];
        _batches[at] = batch with
        {
            Saved = [.. (batch.Saved ?? []).Where(s => !(s.Task == image.Task && s.Image == image.Image) && !_savedBy.Comparer.Equals(s.File, image.File)), image],
        };
        _savedBy[image.File] = resultKey;
    }

    /// <summary>
    /// Records that an image of job <paramref name="resultKey"/> is saved in place, so that a later run of its row does
    /// not fetch it again. The line is written, not flushed to the disk (as the image itself is not): a run stopped,
    /// killed or crashed keeps it; one lost with a power cut costs a fetch, and a file cut short by one is found by its
    /// size. A record that cannot be written is left out for the same reason: the image is saved all the same.
    /// </summary>
    /// <param name="resultKey">The job's key.</param>
    /// <param name="image">The image, as saved.</param>
    /// <returns>Whether it was recorded (not when the job is not one of this state's, or the journal could not be written).</returns>
    public async Task<bool> RecordSavedAsync(string resultKey, RunStateImage image)
    {
        await _changing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!_batches.Exists(b => b.ResultKey == resultKey))
            {
                return false;
            }

            await AppendAsync(new RunStateChange(Rows: null, Batch: null, resultKey, image), durable: false, CancellationToken.None).ConfigureAwait(false);
            ApplySaved(resultKey, image);
            await FoldIfLargeAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>
    /// Records a batch about to be sent (its job may exist from then on), and saves the state; a save that fails leaves
    /// the batch out.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">
    /// Cancels the save; pass <see cref="CancellationToken.None"/> for a job that may exist, whose record must not be lost.
    /// </param>
    public async Task AddAsync(RunStateBatch batch, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A batch whose record was not saved is not sent, and not kept: a later save must not record it either.
            await AppendAsync(new RunStateChange(Rows: null, batch), durable: true, cancellationToken).ConfigureAwait(false);
            _batches.Add(batch);
            await FoldIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>
    /// Replaces a batch this run recorded with <paramref name="replacement"/> (its outcome once submitted), or removes
    /// it when <paramref name="replacement"/> is <see langword="null"/> (it created no job), and saves the state.
    /// </summary>
    /// <param name="recorded">The batch, as given to <see cref="AddAsync"/>.</param>
    /// <param name="replacement">What replaces it, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the save; see <see cref="AddAsync"/>.</param>
    /// <exception cref="InvalidOperationException"><paramref name="recorded"/> is not a batch of this state.</exception>
    public async Task ReplaceAsync(RunStateBatch recorded, RunStateBatch? replacement, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var at = _batches.FindIndex(b => ReferenceEquals(b, recorded));
            if (at < 0)
            {
                throw new InvalidOperationException("The batch to replace is not recorded in this state.");
            }

            await AppendAsync(new RunStateChange(recorded.Rows ?? [], replacement), durable: true, cancellationToken).ConfigureAwait(false);
            if (replacement is null)
            {
                _batches.RemoveAt(at);
            }
            else
            {
                _batches[at] = replacement;
            }

            await FoldIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>
    /// Appends one change to the journal, flushed to the disk when <paramref name="durable"/>. A failed append is taken
    /// back as far as it can be; a part left behind ends the line it is on, which the next append starts after.
    /// </summary>
    private async Task AppendAsync(RunStateChange change, bool durable, CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>();
        if (_unfinishedLine)
        {
            line.Write("\n"u8);
        }

        using (var writer = new Utf8JsonWriter(line))
        {
            JsonSerializer.Serialize(writer, change, CliJsonContext.Default.RunStateChange);
        }

        line.Write("\n"u8);

        // Opened for each change: a journal removed or replaced during the run is then a failed save, not writes into
        // a file no longer there. The cost is small beside the flush to the disk.
        using var journal = new FileStream(JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        var start = journal.Length;
        try
        {
            await journal.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
            journal.Flush(flushToDisk: durable);
            _unfinishedLine = false;
            _journalBytes = journal.Length;
        }
        catch
        {
            _unfinishedLine = true;
            try
            {
                journal.SetLength(start);
                _unfinishedLine = false;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The part written stays; it reads as no change, and the next line starts after it.
            }

            throw;
        }
    }

    /// <summary>
    /// Folds the journal into the state file once it has grown to the state file's size (and at least 1 MiB). The change
    /// is in the journal already, so a fold that fails (a full disk) is left for later, and the run goes on.
    /// </summary>
    private async Task FoldIfLargeAsync(CancellationToken cancellationToken)
    {
        if (_journalBytes <= Math.Max(MinimumFoldBytes, _stateBytes))
        {
            return;
        }

        await TryFoldUnlockedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="FoldAsync"/>, for when the journal may stay: at the end of a run, and once it has grown. Every change
    /// is in the journal already, so a fold that fails (a full disk) is left for later: at the latest, the next run's load.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the journal was folded in.</returns>
    public async Task<bool> TryFoldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            return await TryFoldUnlockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary><see cref="TryFoldAsync"/>, for a change under way, which holds the store already.</summary>
    private async Task<bool> TryFoldUnlockedAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(JournalPath))
        {
            // Nothing recorded since the state file was written whole (a run stopped before it sent anything).
            return true;
        }

        try
        {
            await FoldAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Finds, before a run sends anything, a state file that could not be saved, while nothing is lost: a new one is
    /// written (empty); an existing one is left as it is, and a temporary file is made and deleted beside it, as a save
    /// would make it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="IOException">The file or its folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path))
        {
            using (AtomicFile.Create(Path))
            {
            }

            return;
        }

        // A journal without its state file belongs to a state deleted to start over: it must not join the new one. It
        // goes once the new file is written, so a state file that cannot be written loses nothing.
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        File.Delete(JournalPath);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        // Straight into the file: the state of a run of thousands of rows is megabytes.
        var state = new RunState(RunState.CurrentVersion, emulator, [.. _batches]);
        await AtomicFile.WriteAsync(Path, (stream, token) => JsonSerializer.SerializeAsync(stream, state, CliJsonContext.Default.RunState, token), cancellationToken, durable: true).ConfigureAwait(false);
        _stateBytes = new FileInfo(Path).Length;
    }

    /// <summary>The manifest's entries, then the recorded rows it no longer has; the batches as positions in them.</summary>
    /// <remarks>
    /// A row whose local file cannot be read now (deleted once its job was submitted, say) has no content hash: it takes
    /// the job of the latest recorded row with the same id and paths, so that a re-run still waits for it and saves its
    /// images, instead of failing the row for a file it no longer needs.
    /// </remarks>
    private static RunPlan Plan(IReadOnlyList<ManifestEntry> entries, IReadOnlyList<RunStateBatch> batches)
    {
        var inputs = new List<ManifestEntry>(entries);
        var byIdentity = new Dictionary<RunStateRow, int>();
        for (var i = 0; i < entries.Count; i++)
        {
            byIdentity.TryAdd(Identity(entries[i]), i);
        }

        var rows = batches.Select(b => (b.Rows ?? []).ToArray()).ToArray();
        var indices = rows.Select(r => new int?[r.Length]).ToArray();
        var claimed = new HashSet<int>();
        foreach (var (b, r) in Positions(rows))
        {
            if (byIdentity.TryGetValue(rows[b][r], out var index))
            {
                indices[b][r] = index;
                claimed.Add(index);
            }
        }

        foreach (var (b, r) in Positions(rows).Reverse())
        {
            if (indices[b][r] is null
                && rows[b][r] is { Task.LocalImagesSha256: not null } row
                && byIdentity.TryGetValue(row with { Task = row.Task with { LocalImagesSha256 = null } }, out var index)
                && index < entries.Count
                && entries[index].Written.HasLocalImages
                && claimed.Add(index))
            {
                indices[b][r] = index;
            }
        }

        // A row without an id of its own is named by its position (row<N>): a row inserted, removed or moved above it
        // renames it. A recorded row so named that found no row above takes the first row so named with the same task
        // not taken yet, in order, so that no such edit submits (and bills) unchanged rows again.
        var positional = new Dictionary<WrittenTask, Queue<int>>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (!claimed.Contains(i) && entries[i].Id == ManifestEntry.PositionalId(entries[i].Row))
            {
                (positional.TryGetValue(entries[i].Written, out var same) ? same : positional[entries[i].Written] = new Queue<int>()).Enqueue(i);
            }
        }

        foreach (var (b, r) in Positions(rows))
        {
            if (indices[b][r] is null
                && ManifestEntry.IsPositionalId(rows[b][r].Id)
                && positional.TryGetValue(rows[b][r].Task, out var same)
                && same.TryDequeue(out var index))
            {
                indices[b][r] = index;
                claimed.Add(index);
                inputs[index] = inputs[index] with { RecordedId = rows[b][r].Id }; // what the state file calls it
            }
        }

        foreach (var (b, r) in Positions(rows))
        {
            if (indices[b][r] is null)
            {
                // No longer in the manifest (removed, or its task changed): its job is waited for, not reported.
                var row = rows[b][r];
                if (!byIdentity.TryGetValue(row, out var index))
                {
                    index = inputs.Count;
                    inputs.Add(new ManifestEntry(Row: 0, row.Id, row.Task.ToTask(), row.Task));
                    byIdentity.Add(row, index);
                }

                indices[b][r] = index;
            }
        }

        var submitted = batches.Select((batch, b) => new TryOnBulkBatch(batch.ResultKey, [.. indices[b].Select(i => i!.Value)]) { ImageKeys = batch.ImageKeys ?? [] }).ToArray();
        var saved = batches
            .Where(b => b is { ResultKey: not null, Saved.Count: > 0 })
            .GroupBy(b => b.ResultKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<RunStateImage>)[.. g.SelectMany(b => b.Saved!)], StringComparer.Ordinal);
        return new RunPlan(inputs, entries.Count, submitted, saved);
    }

    /// <summary>The identity of a manifest's row, as recorded.</summary>
    public static RunStateRow Identity(ManifestEntry entry) => new(entry.Id, entry.Written);

    private static IEnumerable<(int Batch, int Row)> Positions(RunStateRow[][] rows) =>
        rows.SelectMany((batch, b) => batch.Select((_, r) => (b, r)));

    /// <summary>A file of version 1 recorded rows by position, valid only for the manifest it was made for.</summary>
    private IReadOnlyList<RunStateBatch> Upgrade(RunState state, IReadOnlyList<ManifestEntry> entries)
    {
        if (state.ManifestHash != LegacyHash(entries))
        {
            throw new CliException($"The state file '{Path}' was written by an earlier version of the tool for another manifest (or the manifest changed since). Use --state <path> for a new run, or delete the file to start over (jobs it lists would be submitted again).");
        }

        return [.. state.Batches.Select(b => new RunStateBatch(b.ResultKey, [.. (b.InputIndices ?? []).Select(i => Identity(entries[i]))]))];
    }

    /// <summary>How version 1 identified a manifest: a hash of every row, in order.</summary>
    internal static string LegacyHash(IReadOnlyList<ManifestEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var (_, id, task, _) in entries)
        {
            text.Append(id).Append('|').Append(UrlText(task.ModelImage))
                .Append('|').Append(UrlText(task.Upper?.Image)).Append('|').Append(task.Upper?.Kind)
                .Append('|').Append(UrlText(task.Lower?.Image)).Append('|').Append(task.Lower?.Kind)
                .Append('|').Append(UrlText(task.FullBody?.Image)).Append('|').Append(task.FullBody?.Kind)
                .Append('|').Append(task.InferenceMode).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A URL image as version 1 hashed it; other images were not possible then.</summary>
    private static string? UrlText(TryOnImage? image) => image is UrlImage url ? url.Url.AbsoluteUri : image?.DisplayName;
}
