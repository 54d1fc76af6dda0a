using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;
using AliTryOn.Cli.Runs;

namespace AliTryOn.Benchmarks.State;

/// <summary>
/// What recording a run costs (<c>--state [--batches N]</c>, default 1,000 batches of 10 rows: a 10,000-row run). Each
/// batch is recorded as its submit goes out and again with its key, as <c>alitryon run</c> records it, then the run
/// ends. Two ways, alternated twice in one process so the ratios compare like with like: the state file rewritten whole
/// and flushed at every change (the tool before the journal), and <see cref="RunStateStore"/> (a journal line flushed a
/// change, folded into the state file when it outgrows it and at the end). Bytes written are the process's own
/// (<c>wchar</c> of <c>/proc/self/io</c>, Linux only): nothing else writes meanwhile.
/// </summary>
internal static class StateFileBenchmark
{
    private const int RowsPerBatch = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--batches");
        var batches = at >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 1000;
        Console.WriteLine($"// * Recording a run of {batches:N0} batches of {RowsPerBatch} rows: two changes a batch, each flushed to the disk *");
        Console.WriteLine($"// machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine("| way | round | wall | bytes written | state file at the end |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var results = new List<(string Way, TimeSpan Wall, long Bytes)>();
        for (var round = 1; round <= 2; round++)
        {
            foreach (var (way, run) in new (string, Func<string, int, Task>)[] { ("whole state at each change", WholeAsync), ("journal", JournalAsync) })
            {
                var folder = Directory.CreateTempSubdirectory("alitryon-state-bench-");
                try
                {
                    var path = Path.Combine(folder.FullName, "state.json");
                    var written = WrittenBytes();
                    var clock = Stopwatch.StartNew();
                    await run(path, batches);
                    clock.Stop();
                    var bytes = WrittenBytes() - written;
                    results.Add((way, clock.Elapsed, bytes));
                    Console.WriteLine($"| {way} | {round} | {clock.Elapsed.TotalSeconds:F2} s | {bytes / 1048576.0:N1} MiB | {new FileInfo(path).Length / 1048576.0:N2} MiB |");
                }
                finally
                {
                    folder.Delete(recursive: true);
                }
            }
        }

        foreach (var round in new[] { 0, 1 })
        {
            var (whole, journal) = (results[2 * round], results[(2 * round) + 1]);
            Console.WriteLine($"round {round + 1}: journal / whole state = {journal.Wall / whole.Wall:F3} × the wall time, {(double)journal.Bytes / whole.Bytes:F4} × the bytes written");
        }

        return 0;
    }

    /// <summary>The tool before the journal: every change rewrites the state whole, flushed, moved into place.</summary>
    private static async Task WholeAsync(string path, int batches)
    {
        var recorded = new List<RunStateBatch>();
        // As the tool's atomic write did it: a temporary file, serialized into, flushed to the disk, moved into place.
        async Task Save()
        {
            var temporary = path + ".tmp";
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, new RunState(RunState.CurrentVersion, false, [.. recorded]), CliJsonContext.Default.RunState);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }

        await Save();
        for (var b = 0; b < batches; b++)
        {
            recorded.Add(Batch(b, resultKey: null));
            await Save();
            recorded[^1] = Batch(b, $"{b:x32}");
            await Save();
        }
    }

    private static async Task JournalAsync(string path, int batches)
    {
        var store = new RunStateStore(path, emulator: false);
        await store.CheckWritableAsync(CancellationToken.None);
        for (var b = 0; b < batches; b++)
        {
            var batch = Batch(b, resultKey: null);
            await store.AddAsync(batch, CancellationToken.None);
            await store.ReplaceAsync(batch, Batch(b, $"{b:x32}"), CancellationToken.None);
        }

        if (!await store.TryFoldAsync(CancellationToken.None))
        {
            throw new IOException("The state file could not be written at the end.");
        }
    }

    /// <summary>A batch of ten rows of URL images, as a catalog's manifest makes them.</summary>
    private static RunStateBatch Batch(int b, string? resultKey) => new(
        resultKey,
        [.. Enumerable.Range(b * RowsPerBatch, RowsPerBatch).Select(r => new RunStateRow(
            $"sku-{r:D6}",
            new WrittenTask($"https://cdn.example.com/models/model-{r % 40:D2}.jpg", new WrittenGarment($"https://cdn.example.com/catalog/sku-{r:D6}.jpg", GarmentKind.FlatLay), null, null, InferenceMode.Quality)))]);

    private static long WrittenBytes() =>
        File.ReadAllLines("/proc/self/io").Select(l => l.Split(':')).Where(p => p[0] == "wchar").Select(p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).Single();
}
