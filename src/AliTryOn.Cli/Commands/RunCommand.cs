using System.Globalization;
using System.Text.RegularExpressions;
using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Checks;
using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;
using AliTryOn.Cli.Runs;
using AliTryOn.IO;

namespace AliTryOn.Cli.Commands;

/// <summary>
/// <c>alitryon run &lt;manifest&gt;</c>: every row of a manifest through <see cref="TryOnClient.RunBulkAsync"/>, images
/// saved as they come, a report at the end, and a state file that makes a re-run resume instead of resubmitting.
/// </summary>
internal static class RunCommand
{
    // Before Spec, which holds them (static properties are set in order).
    public static OptionSpec StateOption { get; } = new("state", "path", "The state file of submitted jobs (default: <output>/.alitryon-state.json).");

    public static OptionSpec BatchSizeOption { get; } = new("batch-size", "1-10", "Tasks per job (default: 10).", a => BatchSize(a));

    public static CommandSpec Spec { get; } = new(
        "run",
        "Run every row of a CSV or JSON manifest: submit in jobs of up to 10, wait, download, report. Resumable.",
        ["manifest"],
        [
            new("output", "dir", "Where images, report.json and report.csv go (default: tryon-output)."),
            StateOption,
            BatchSizeOption,
            new("concurrency", "1-1000", "Jobs in flight at once (default: 4). With a rate limit (AliTryOn:RateLimit:RequestsPerSecond) set, raise it: the limit then paces the calls.", a => Concurrency(a)),
            DownloadCommand.DownloadsOption,
            WaitCommand.TimeoutOption,
        ],
        """
        Manifest (CSV, one row per try-on; a header line names the columns, in any order):
          id,model,upper,lower,full_body,mode,kind
          alice-coat,https://example.com/alice.jpg,https://example.com/coat.jpg,,,quality,
          bob-jeans,photos/bob.jpg,,garments/jeans.png,,fast,worn-by-model
        model is required, with at least one of upper/lower/full_body; id (default row<N>), mode (fast|quality,
        default fast) and kind (flat-lay|worn-by-model, default flat-lay) are optional. Fields are separated by
        commas, semicolons or tabs, as the header is; quote a field that holds one ("…", "" for a quote). Lines
        starting with # and empty rows are skipped; the file is UTF-8 (or UTF-16 with its mark). A .json manifest is
        an array of objects with the same names.

        An image is an http(s) URL, or a local file: a path relative to the manifest's folder, absolute, or file://.
        Local files are checked, then published through the image host (AliTryOn:Images:S3:* settings; --emulator
        has its own) and deleted after their job. A row whose file is missing or refused (not an image, a side
        outside 400-4096 px, too large) fails alone and is not submitted. 'alitryon check' finds all of that first.

        Images are saved as <output>/<id>-<n>.<ext>, streamed to disk, 4 at once (--downloads). Every job is recorded
        in the state file as its submit is sent, then with its key: run the same command again after a failure,
        Ctrl+C or a crash and those jobs are waited for, not submitted again (one whose key never arrived is reported
        unknown). A second run of the same state file while one goes on is refused. Exit code 0 when every row
        succeeded, 2 when some failed or their outcome is unknown, 1 on an error.
        """);

    /// <summary>The manifest, output folder and state file a command line names, as full paths.</summary>
    public static (string Manifest, string Output, string State) Paths(ParsedArguments arguments)
    {
        var outputDirectory = arguments.Folder("output", "tryon-output");
        return (
            Path.GetFullPath(arguments.Positionals[0]),
            outputDirectory,
            arguments.FilePath("state", Path.Combine(outputDirectory, ".alitryon-state.json")));
    }

    private static CliException NotWritable(string statePath, Exception exception) =>
        new($"The state file '{statePath}' cannot be written, so nothing was submitted: {exception.Message} Give --state a file in a folder you can write.");

    public static int BatchSize(ParsedArguments arguments) => arguments.Int("batch-size", 1, 10) ?? 10;

    public static async Task<int> ExecuteAsync(CommandRuntime runtime, CancellationToken cancellationToken)
    {
        var arguments = runtime.Arguments;
        var output = runtime.Output;
        var (manifestPath, outputDirectory, statePath) = Paths(arguments);
        var batchSize = BatchSize(arguments);
        var concurrency = Concurrency(arguments) ?? 4;
        var timeout = arguments.Duration("timeout");

        var entries = (await ManifestReader.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false)).ValidEntries();
        Directory.CreateDirectory(outputDirectory);
        var store = new RunStateStore(statePath, arguments.Emulator);
        // Before anything is read or sent: the run is alone with its state file, and can write it (a state file that
        // cannot be written would lose the jobs submitted).
        IDisposable held;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
            held = store.Lock();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(statePath, exception);
        }

        using var stateLock = held;
        try
        {
            await store.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(statePath, exception);
        }

        var plan = await store.LoadAsync(entries, readOnly: false, cancellationToken).ConfigureAwait(false);

        // What a run killed while saving left in the output (hidden temporary images and reports): this run owns its
        // rows' files, and nothing else writes them while it holds the state file.
        var ids = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        AtomicFile.DeleteTemporaries(outputDirectory, target => target is "report.json" or "report.csv" || IsImageOf(target, ids));

        var resumed = plan.SubmittedBatches;
        var submitted = 0;
        if (resumed.Count > 0)
        {
            var gone = plan.Inputs.Count - plan.ManifestCount;
            var unansweredBatches = resumed.Count(b => b.ResultKey is null);
            output.Note($"Resuming: {resumed.Count - unansweredBatches} job{JobText.Plural(resumed.Count - unansweredBatches)} from {statePath} will be waited for, not submitted again."
                + (unansweredBatches > 0 ? $" {unansweredBatches} batch{(unansweredBatches == 1 ? string.Empty : "es")} whose key never arrived will be reported unknown, not submitted again." : string.Empty)
                + (gone > 0 ? $" {gone} of their row{JobText.Plural(gone)} {(gone == 1 ? "is" : "are")} no longer in the manifest (removed or changed): waited for, not reported; a changed row is new work." : string.Empty));
        }

        var connection = runtime.Connect();
        await using var scope = connection.ConfigureAwait(false);
        var client = connection.Client;
        if (!await connection.SharedLimitReadyAsync(SharedLimitWait, cancellationToken).ConfigureAwait(false))
        {
            output.Note($"note: the Redis of AliTryOn:RateLimit:Redis did not answer within {SharedLimitWait.TotalSeconds:0} s: this run keeps RateLimit:RequestsPerSecond on its own until it does.");
        }

        if (connection.Settings is { RateLimit.RequestsPerSecond: > 0 } paced && paced.TotalTimeout != Timeout.InfiniteTimeSpan
            && concurrency / paced.RateLimit.RequestsPerSecond > paced.TotalTimeout.TotalSeconds)
        {
            var queued = TimeSpan.FromSeconds(Math.Min(concurrency / paced.RateLimit.RequestsPerSecond, TimeSpan.MaxValue.TotalSeconds / 2));
            // Each submit waits for its permit within the call's TotalTimeout: a batch still waiting past it fails unsent.
            output.Note($"note: --concurrency {concurrency} at RateLimit:RequestsPerSecond {paced.RateLimit.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} keeps a submit waiting at least {JobText.Elapsed(queued)} for its permit, longer than TotalTimeout ({JobText.Elapsed(paced.TotalTimeout)}): a batch still waiting then fails unsent (nothing is billed; the next run submits it). Raise AliTryOn:TotalTimeout above that, or lower --concurrency.");
        }

        // The local files of the rows to submit, read and checked before anything is sent: without an image host the run
        // stops here; a row whose file is missing or refused fails alone, and is not submitted.
        var rows = new Dictionary<int, RunReportRow>();
        var check = await ImageCheck.CheckAsync(client, plan.Pending, urls: false, cancellationToken).ConfigureAwait(false);
        ImageCheck.ThrowIfNoHost(check);
        foreach (var refused in check.Findings.GroupBy(f => f.Entry))
        {
            var entry = refused.Key;
            var error = string.Join("; ", refused.Select(f => f.ToString())).TrimEnd('.') + ". Not submitted.";
            rows[entry.Row] = new RunReportRow(entry.Row, entry.Id, "failed", null, null, [], error);
            output.Note($"row {entry.Row} ({entry.Id}): failed: {error}");
        }

        if (check.Files > 0)
        {
            output.Note($"Local images are published through {connection.ImageHost}.");
        }

        plan = plan.Without(check.Findings.Select(f => f.Entry).ToHashSet());
        var inputs = plan.Inputs;
        var unansweredRows = plan.Unanswered; // positions in the run's inputs, as its outcomes give them
        // The rows the last report has succeeded, with their images still there: kept over a worse outcome now.
        var jsonReport = Path.Combine(outputDirectory, "report.json");
        // A report older than the state's records (the run after it stopped before its own) may list a file another
        // job, or another task of its job (a row named by position that moved), has saved over since: that row is not kept.
        var savedBy = plan.SavedFiles();
        var earlier = RunReportWriter.Succeeded(jsonReport, outputDirectory)
            .Where(r => !r.Value.Files.Any(f => savedBy.TryGetValue(f, out var by) && (by.Job != r.Value.ResultKey || by.Task != r.Value.TaskIndex)))
            .ToDictionary(StringComparer.Ordinal);
        var started = output.TimeProvider.GetTimestamp();
        string Elapsed() => JobText.Elapsed(output.TimeProvider.GetElapsedTime(started));
        // Rows' images download while the next outcomes arrive, --downloads images at once across the run; the rows
        // and the notes are shared with those downloads.
        var gate = new object();
        using var downloads = new SemaphoreSlim(DownloadCommand.Downloads(arguments));
        var completing = new List<Task>();

        // The image an earlier run recorded as saved of this task of this job, still there as this row names its images
        // (a row named by position that moved has a new name) and whole: it is not fetched again, as its link may have
        // expired. The record, not the file, says whose image it is: a file of an older job of the same id, or of another
        // folder's run, is not one.
        string? SavedBefore(ManifestEntry entry, TryOnBulkOutcome outcome, int n)
        {
            var stem = $"{entry.Id}-{n}";
            return plan.SavedImage(outcome.ResultKey, outcome.TaskIndex, n) is { } saved
                && (saved.File == stem || saved.File == stem + Path.GetExtension(saved.File))
                && new FileInfo(Path.Combine(outputDirectory, saved.File)) is { Exists: true } file && file.Length == saved.Bytes
                    ? saved.File
                    : null;
        }

        // Once in place, so that a run stopped after it does not fetch it again.
        Task RecordSaved(TryOnBulkOutcome outcome, int n, string name, long bytes) => outcome is { ResultKey: { } key, TaskIndex: { } task }
            ? store.RecordSavedAsync(key, new RunStateImage(task, n, name, bytes, outcome.ResultUrls.Count))
            : Task.CompletedTask;

        // The files of all <count> images of this task of this job, each recorded saved and still there (SavedBefore), or
        // null: a row whose images a run stopped before its report (Ctrl+C, a crash) saved.
        string[]? SavedAll(ManifestEntry entry, TryOnBulkOutcome outcome, int count) =>
            count > 0
            && Enumerable.Range(0, count).Select(n => SavedBefore(entry, outcome, n)).ToArray() is var files
            && Array.TrueForAll(files, f => f is not null)
                ? [.. files.OfType<string>()]
                : null;

        // A row whose images were saved already: nothing to fetch.
        void KeptSaved(ManifestEntry entry, RunReportRow row)
        {
            lock (gate)
            {
                rows[entry.Row] = row;
                output.Note($"[{Elapsed()}] row {entry.Row} ({entry.Id}): succeeded, {row.Files.Count} image{JobText.Plural(row.Files.Count)}, kept from an earlier run (its images were saved already)");
            }
        }

        async Task CompleteRowAsync(ManifestEntry entry, TryOnBulkOutcome outcome)
        {
            // The same job's same task, whose images the last report lists and which are all there, or which a run
            // stopped before its report recorded saved.
            if (RunReportWriter.SavedAlready(entry.Id, outcome, earlier) is { } saved)
            {
                KeptSaved(entry, saved with { Row = entry.Row });
                return;
            }

            if (outcome.Status == TryOnBulkStatus.Succeeded && SavedAll(entry, outcome, outcome.ResultUrls.Count) is { } before)
            {
                KeptSaved(entry, new RunReportRow(entry.Row, entry.Id, "succeeded", outcome.ResultKey, outcome.TaskIndex, before, null));
                return;
            }

            var made = await CompleteAsync(client, entry, outcome, inputs, outputDirectory, statePath, unansweredRows.Contains(outcome.InputIndex), downloads, n => SavedBefore(entry, outcome, n), (n, name, bytes) => RecordSaved(outcome, n, name, bytes), cancellationToken).ConfigureAwait(false);

            // A re-run never makes the report worse, and the line says what the report will say: a job the service no
            // longer knows (or does not answer about now) keeps a row whose images are all recorded saved, as many as
            // the records say its task has.
            var row = RunReportWriter.Keep(made, earlier);
            if (ReferenceEquals(row, made) && made.Status != "succeeded"
                && SavedAll(entry, outcome, plan.SavedImage(outcome.ResultKey, outcome.TaskIndex, 0)?.Of ?? 0) is { } whole)
            {
                row = new RunReportRow(entry.Row, entry.Id, "succeeded", outcome.ResultKey, outcome.TaskIndex, whole, null);
            }

            lock (gate)
            {
                rows[entry.Row] = row;
                output.Note($"[{Elapsed()}] row {entry.Row} ({entry.Id}): {row.Status}"
                    + (row.Error is null ? $", {row.Files.Count} image{JobText.Plural(row.Files.Count)}" : $": {row.Error}")
                    + (ReferenceEquals(row, made) ? string.Empty : $", kept from an earlier run (this run: {made.Status}: {made.Error})"));
            }
        }

        // The batches recorded before their submit went out, by their rows, until they are resolved.
        var sending = new Dictionary<string, RunStateBatch>();
        static string Key(TryOnBulkBatch batch) => string.Join(",", batch.InputIndices);
        RunStateBatch Record(TryOnBulkBatch batch, string? resultKey) =>
            new(resultKey, [.. batch.InputIndices.Select(i => RunStateStore.Identity(inputs[i]))], ImageKeys: batch.ImageKeys.Count > 0 ? batch.ImageKeys : null);

        // A save that fails stops the run (the SDK throws it, even over Ctrl+C): the message says which file, and what
        // the next run does with the rows it could not record.
        async Task Saved(Task save)
        {
            try
            {
                await save.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new IOException(
                    $"The state file '{statePath}' could not be saved, so the run stopped: {exception.Message} The jobs named above as submitted are in the service. " +
                    "Once the file can be written, run the same command again: it waits for the jobs it recorded, reports unknown the rows it recorded without a job, and submits the rest.",
                    exception);
            }
        }

        var options = new TryOnBulkOptions
        {
            BatchSize = batchSize,
            MaxConcurrentBatches = concurrency,
            Wait = new TryOnWaitOptions { Timeout = timeout },
            SubmittedBatches = plan.SubmittedBatches, // positions without the rows refused above
            // A batch is recorded, without a key, as it is sent (after its rate-limit permit): a tool killed while the
            // submit is out (SIGKILL, out of memory) leaves its rows unknown to the next run instead of submitting, and
            // billing, them again; one killed while batches wait for permits leaves no record of those. The record
            // then takes the job's key, or goes when no job was made. The SDK makes these calls one at a time, never
            // cancelled by Ctrl+C: a job that may exist is recorded before the tool exits.
            OnBatchSubmitting = async (batch, ct) =>
            {
                var record = Record(batch, resultKey: null);
                await Saved(store.AddAsync(record, ct)).ConfigureAwait(false);
                sending[Key(batch)] = record;
            },
            // The job is named before it is saved: if the save fails (a full disk), the key is still on the screen.
            OnBatchSubmitted = async (batch, ct) =>
            {
                lock (gate)
                {
                    output.Note($"[{Elapsed()}] submitted row{JobText.Plural(batch.InputIndices.Count)} {string.Join(", ", batch.InputIndices.Select(i => inputs[i].Row))} as job {batch.ResultKey ?? "(unknown: the submit's outcome is unknown)"}");
                }

                sending.Remove(Key(batch), out var recorded);
                await Saved(store.ReplaceAsync(recorded!, Record(batch, batch.ResultKey), ct)).ConfigureAwait(false);
                submitted++;
            },
            OnBatchNotSubmitted = async (batch, ct) =>
            {
                sending.Remove(Key(batch), out var recorded);
                await Saved(store.ReplaceAsync(recorded!, replacement: null, ct)).ConfigureAwait(false);
            },
        };

        try
        {
            await foreach (var outcome in client.RunBulkAsync(inputs.Select(e => e.Task), options, cancellationToken).ConfigureAwait(false))
            {
                if (outcome.InputIndex >= plan.ManifestCount)
                {
                    continue; // a recorded row no longer in the manifest
                }

                completing.Add(CompleteRowAsync(inputs[outcome.InputIndex], outcome));
            }

            await Task.WhenAll(completing).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The downloads stop too, and take their temporary files with them before the tool exits.
            await Task.WhenAll(completing).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            output.Note($"Submitted jobs are recorded in {statePath}: run the same command again to resume without submitting them again (a submit cut off before its answer came leaves its rows unknown).");
            throw;
        }
        finally
        {
            // However the run ends, the state file alone then says what was recorded (a fold that fails leaves the
            // journal beside it, which the next run folds in).
            await store.TryFoldAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var csvReport = Path.Combine(outputDirectory, "report.csv");
        var done = entries.Select(e => rows.GetValueOrDefault(e.Row) ?? new RunReportRow(e.Row, e.Id, "unknown", null, null, [], "No outcome was reported.")).ToArray();
        var report = new RunReport(
            manifestPath,
            outputDirectory,
            done.Length,
            done.Count(r => r.Status == "succeeded"),
            done.Count(r => r.Status == "failed"),
            done.Count(r => r.Status == "unknown"),
            submitted,
            resumed.Count(b => b.ResultKey is not null),
            done);
        await RunReportWriter.WriteAsync(report, jsonReport, csvReport, cancellationToken).ConfigureAwait(false);

        if (output.Json)
        {
            output.Document(report, CliJsonContext.Default.RunReport);
        }
        else
        {
            output.Line($"{report.Succeeded} of {report.Total} rows succeeded" + (report.Failed > 0 ? $", {report.Failed} failed" : string.Empty) + (report.Unknown > 0 ? $", {report.Unknown} unknown" : string.Empty) + ".");
            output.Line($"Images: {outputDirectory}");
            output.Line($"Report: {jsonReport} and {csvReport}");
            foreach (var row in done.Where(r => r.Status != "succeeded"))
            {
                output.Line($"  row {row.Row} ({row.Id}) {row.Status}: {row.Error}");
            }
        }

        return report.Succeeded == report.Total ? ExitCodes.Success : ExitCodes.PartialFailure;
    }

    /// <summary>
    /// The most jobs in flight: each costs a timer and a few kilobytes between queries, and the rate limit, not this,
    /// bounds the calls; 64 was too few to keep 10 calls a second busy with 15-second jobs (docs/benchmarks.md).
    /// </summary>
    private const int MaxConcurrency = 1000;

    private static int? Concurrency(ParsedArguments arguments) => arguments.Int("concurrency", 1, MaxConcurrency);

    /// <summary>
    /// How long a run waits for the shared rate limit's Redis before it starts: a first connection slower than the half
    /// second an ask has would otherwise leave the run's first 10 seconds to its own rate, each run of several at once
    /// sending at the whole of it.
    /// </summary>
    private static readonly TimeSpan SharedLimitWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Downloads a succeeded row's images, each streamed to a temporary file and moved into place once complete, at
    /// most as many at once as <paramref name="downloads"/> allows across the run, except those an earlier run saved
    /// (<paramref name="savedBefore"/>); each saved is recorded (<paramref name="recordSaved"/>). A failed download fails
    /// the row, not the run, and not the row's other images: every one is attempted, the files saved are listed.
    /// </summary>
    private static async Task<RunReportRow> CompleteAsync(TryOnClient client, ManifestEntry entry, TryOnBulkOutcome outcome, IReadOnlyList<ManifestEntry> inputs, string directory, string statePath, bool sentByEarlierRun, SemaphoreSlim downloads, Func<int, string?> savedBefore, Func<int, string, long, Task> recordSaved, CancellationToken cancellationToken)
    {
        async Task<(string? Name, string? Error)> ImageAsync(Uri url, int n)
        {
            if (savedBefore(n) is { } kept)
            {
                return (kept, null);
            }

            var (name, bytes, error) = await SaveAsync(client, url, directory, $"{entry.Id}-{n}", downloads, cancellationToken).ConfigureAwait(false);
            if (name is not null)
            {
                await recordSaved(n, name, bytes).ConfigureAwait(false);
            }

            return (name, error);
        }

        switch (outcome.Status)
        {
            case TryOnBulkStatus.Succeeded:
                var results = await Task.WhenAll(outcome.ResultUrls.Select((url, n) => ImageAsync(url, n))).ConfigureAwait(false);
                var files = results.Where(r => r.Error is null).Select(r => r.Name!).ToList();
                return results.FirstOrDefault(r => r.Error is not null).Error is { } error
                    ? new RunReportRow(entry.Row, entry.Id, "failed", outcome.ResultKey, outcome.TaskIndex, files, error)
                    : new RunReportRow(entry.Row, entry.Id, "succeeded", outcome.ResultKey, outcome.TaskIndex, files, null);
            case TryOnBulkStatus.Failed:
                // Failed before it was sent (no key), a re-run submits it; failed in its job, a re-run finds the same job
                // and the same answer, so the row must become new work to be tried again.
                return new RunReportRow(entry.Row, entry.Id, "failed", outcome.ResultKey, outcome.TaskIndex, [], (Describe(outcome.Error, inputs) ?? "The task failed.") + (outcome.ResultKey is null
                    ? string.Empty
                    : " Its job is recorded, so running again waits for that job rather than submit the row again; to try the row again (a new job, billed again), give it a new id in the manifest."));
            default:
                // With no key, no run can wait for the job: say what can be done instead of "run again". A row an earlier
                // run sent is told in the tool's words: the SDK's message speaks of its own options.
                var why = sentByEarlierRun && outcome.ResultKey is null
                    ? "An earlier run sent this row's job, or was about to, and never learned whether the service created it."
                    : Describe(outcome.Error, inputs) ?? "The outcome is unknown.";
                return new RunReportRow(entry.Row, entry.Id, "unknown", outcome.ResultKey, outcome.TaskIndex, [], why + (outcome.ResultKey is null
                    ? $" Its job may exist, but its key never arrived, so no run can wait for it. To submit the row again (billed again if that job exists), remove its batch from {statePath}: the one with \"resultKey\": null whose rows hold \"id\": \"{entry.RecordedId ?? entry.Id}\"."
                    : " Run again to wait for the job."));
        }
    }

    /// <summary>
    /// Whether <paramref name="kept"/>, a temporary file's target as it keeps it, is the name of a row's image before its
    /// extension: <c>{id}-{n}</c>. A long name is kept as its start and end around a hash, the end still ending in <c>-{n}</c>.
    /// </summary>
    private static bool IsImageOf(string kept, HashSet<string> ids)
    {
        var dash = kept.LastIndexOf('-');
        if (dash <= 0 || dash == kept.Length - 1 || !kept[(dash + 1)..].All(char.IsAsciiDigit))
        {
            return false;
        }

        var number = kept[(dash + 1)..];
        return ids.Contains(kept[..dash]) || ids.Any(id => AtomicFile.TargetMatches(kept, $"{id}-{number}"));
    }

    /// <summary>One image, saved as <c>{stem}.{ext}</c> (the extension from its content type): its name and size, or why it was not saved.</summary>
    private static async Task<(string? Name, long Bytes, string? Error)> SaveAsync(TryOnClient client, Uri url, string directory, string stem, SemaphoreSlim downloads, CancellationToken cancellationToken)
    {
        await downloads.WaitAsync(cancellationToken).ConfigureAwait(false);
        // The file a failure names: its extension comes with the image.
        var target = Path.Combine(directory, stem) + ".*";
        try
        {
            // The client streams into the temporary file as the image arrives (it truncates it again on a retry).
            using var file = AtomicFile.Create(Path.Combine(directory, stem));
            var image = await client.DownloadResultAsync(url, file.Stream, options: null, cancellationToken).ConfigureAwait(false);
            var name = stem + AliTryOn.Downloads.ImageContentTypes.ExtensionOf(image.ContentType);
            target = Path.Combine(directory, name);
            await file.CommitAsync(target, cancellationToken).ConfigureAwait(false);
            return (name, image.Length, null);
        }
        catch (TryOnException exception)
        {
            return (null, 0, $"Download failed ({exception.GetType().Name}): {CliSettings.InToolTerms(exception.Message)}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file that cannot be written fails its row, not the run: the other rows' jobs are still waited for.
            // Named as the file to be written: the hidden temporary the system failed on means nothing to a person.
            return (null, 0, $"Saving {target} failed ({exception.GetType().Name}): {AtomicFile.NamingTarget(exception.Message, target)}");
        }
        finally
        {
            downloads.Release();
        }
    }

    /// <summary>
    /// The SDK's sentence, with its tasks named as the manifest's rows: in a run, <c>tasks[N]</c> is the N-th task given
    /// to the bulk run (rows refused before it, and recorded rows, move the others), which names no row a user knows.
    /// </summary>
    private static string? Describe(Exception? error, IReadOnlyList<ManifestEntry> inputs) => error is null
        ? null
        : $"{error.GetType().Name}: {TaskReference.Replace(CliSettings.InToolTerms(error.Message), match =>
            int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var input) && input < inputs.Count && inputs[input].Row > 0
                ? $"row {inputs[input].Row} ({inputs[input].Id}){(match.Groups[2].Success ? ", column " + ColumnOf(match.Groups[2].Value) : string.Empty)}"
                : match.Value)}";

    /// <summary>An SDK task reference, with its image's slot if any: <c>tasks[3]</c>, <c>tasks[3].Upper</c>.</summary>
    private static readonly Regex TaskReference = new(@"tasks\[(\d+)\](?:\.(ModelImage|Upper|Lower|FullBody)\b)?", RegexOptions.CultureInvariant);

    /// <summary>The manifest's column for an SDK image slot.</summary>
    private static string ColumnOf(string slot) => slot switch
    {
        nameof(TryOnImageSlot.ModelImage) => ManifestImage.Model,
        nameof(TryOnImageSlot.Upper) => ManifestImage.Upper,
        nameof(TryOnImageSlot.Lower) => ManifestImage.Lower,
        _ => ManifestImage.FullBody,
    };
}
