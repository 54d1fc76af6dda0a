using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AliTryOn.Cli;
using AliTryOn.Cli.Hosting;
using AliTryOn.Testing;

namespace AliTryOn.Benchmarks.Bulk;

/// <summary>
/// The end-to-end bulk run: N tasks through <see cref="TryOnClient.RunBulkAsync"/> (or the CLI's <c>run</c>) against the
/// emulator server over loopback, with realistic job durations and a client-side rate limit, every result image
/// downloaded to disk. Prints the wall time against the theoretical minimum, the requests the server saw (and the
/// client sent), queries per job against the poller's prediction, the client's CPU and memory and the server's CPU.
/// </summary>
internal static class BulkBenchmark
{
    /// <summary>The target: wall time within this factor of the theoretical minimum.</summary>
    public const double TargetRatio = 1.2;

    public static async Task<int> RunAsync(BulkSettings settings)
    {
        var polling = new TryOnPollingOptions();
        var minimum = BulkBounds.Minimum(settings.Jobs, settings.RequestsPerSecond, settings.JobDuration);
        var predicted = BulkBounds.PredictedQueries(settings.JobDuration, polling);
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "alitryon-bulk-" + Guid.NewGuid().ToString("N")[..8]));
        var loadBefore = LoadAverage();
        try
        {
            await using var server = await EmulatorServerProcess.StartAsync(settings).ConfigureAwait(false);
            var serverCpuBefore = server.ProcessorTime;
            server.StartCounting();
            var result = settings.Cli
                ? await RunCliAsync(settings, server.Address, directory.FullName).ConfigureAwait(false)
                : await RunLibraryAsync(settings, server.Address, directory.FullName).ConfigureAwait(false);
            var served = await server.StopCountingAsync(result.ClientCounts is { } sent ? sent.GatewayRequests + sent.Downloads : 0).ConfigureAwait(false);
            var serverCpu = server.ProcessorTime - serverCpuBefore;
            var serverPeak = server.PeakWorkingSet;

            var ratio = result.Wall / minimum;
            var queriesPerJob = (double)served.Queries / settings.Jobs;
            var pass = ratio <= TargetRatio && queriesPerJob <= predicted && result.Succeeded == settings.Tasks && served.Throttled == 0;
            var report = new StringBuilder();
            void Line(string text) => report.AppendLine(CultureInfo.InvariantCulture, $"{text}");
            Line($"// * End-to-end bulk run: {(settings.Cli ? "the CLI's run command (in process)" : "TryOnClient.RunBulkAsync")} against the emulator server over loopback *");
            Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; load average {loadBefore} before, {LoadAverage()} after");
            Line($"run: {settings.Tasks} tasks in {settings.Jobs} jobs of {settings.BatchSize}, {settings.JobsInFlight} in flight at most; rate limit {F(settings.RequestsPerSecond)} requests/s; job {F(settings.JobDuration.TotalSeconds)} s ({F(settings.QueueTime.TotalSeconds)} s queued + {F(settings.RunTime.TotalSeconds)} s running); {result.Images} images downloaded{(settings.Cli ? string.Empty : $", {settings.DownloadConcurrency} at once")}");
            Line($"outcomes: {result.Succeeded} succeeded, {result.Failed} failed, {result.Unknown} unknown{(result.ExitCode is { } code ? $"; exit code {code}" : string.Empty)}");
            Line($"requests (server): {served}");
            if (result.ClientCounts is { } client)
            {
                Line($"requests (client): {client}");
            }

            Line($"queries per job: {F(queriesPerJob)} (polling simulation without a rate limit: {predicted} for a {F(settings.JobDuration.TotalSeconds)} s job)");
            Line($"wall time: {F(result.Wall.TotalSeconds)} s{(result.LastOutcome is { } last ? $" (last outcome at {F(last.TotalSeconds)} s, then its images)" : string.Empty)}; theoretical minimum max(t(S) + T, t(2S)) = {F(minimum.TotalSeconds)} s; ratio {ratio:0.00}x (target <= {TargetRatio}x)");
            Line($"client CPU: {F(result.Cpu.TotalSeconds)} s ({F(result.Cpu / result.Wall * 100)} % of one core); server CPU: {F(serverCpu.TotalSeconds)} s (its request logging, used for counting, included)");
            Line($"client memory: peak working set {Mib(result.PeakWorkingSet)} MiB; managed heap {Mib(result.HeapAtStart)} MiB at start, peak {Mib(result.PeakHeap)} MiB; allocated {Mib(result.Allocated)} MiB ({F((double)result.Allocated / Math.Max(1, served.GatewayRequests + served.Downloads) / 1024)} KiB per request); server peak working set {Mib(serverPeak)} MiB");
            Line(pass ? "// PASS" : $"// FAIL: target is ratio <= {TargetRatio}x, queries per job <= {predicted}, every task succeeded, nothing throttled");
            Console.Write(report);
            return pass ? 0 : 1;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<RunResult> RunLibraryAsync(BulkSettings settings, Uri endpoint, string directory)
    {
        var counts = new RequestCounts();
        var options = new TryOnClientOptions
        {
            Endpoint = endpoint,
            AppCode = TryOnEmulator.DefaultAppCode,
            RateLimit = { RequestsPerSecond = settings.RequestsPerSecond },
        };
        using var transport = new CountingHandler(new SocketsHttpHandler { AllowAutoRedirect = false }, counts);
        var client = new TryOnClient(options, transport);
        var bulk = new TryOnBulkOptions { BatchSize = settings.BatchSize, MaxConcurrentBatches = settings.JobsInFlight };
        using var downloading = new SemaphoreSlim(settings.DownloadConcurrency);
        var downloads = new List<Task<int>>();
        int succeeded = 0, failed = 0, unknown = 0;

        var sampler = new ResourceSampler();
        var wall = Stopwatch.StartNew();
        await foreach (var outcome in client.RunBulkAsync(Tasks(settings.Tasks), bulk).ConfigureAwait(false))
        {
            switch (outcome.Status)
            {
                case TryOnBulkStatus.Succeeded:
                    succeeded++;
                    // As an application would: the images of each finished task saved while the run goes on.
                    foreach (var (url, n) in outcome.ResultUrls.Select((url, n) => (url, n)))
                    {
                        downloads.Add(DownloadAsync(client, url, Path.Combine(directory, $"{outcome.InputIndex}-{n}.png"), downloading));
                    }

                    break;
                case TryOnBulkStatus.Failed:
                    failed++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        var lastOutcome = wall.Elapsed;
        var images = (await Task.WhenAll(downloads).ConfigureAwait(false)).Sum();
        wall.Stop();
        var cpu = sampler.ProcessorTime;
        await sampler.DisposeAsync().ConfigureAwait(false);
        return new RunResult(wall.Elapsed, succeeded, failed, unknown, images, null, counts, cpu, ResourceSampler.PeakWorkingSet, sampler.HeapAtStart, sampler.PeakHeap, sampler.Allocated, lastOutcome);
    }

    private static async Task<int> DownloadAsync(TryOnClient client, Uri url, string path, SemaphoreSlim downloading)
    {
        await downloading.WaitAsync().ConfigureAwait(false);
        try
        {
            await client.DownloadResultToFileAsync(url, path).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            downloading.Release();
        }
    }

    private static async Task<RunResult> RunCliAsync(BulkSettings settings, Uri endpoint, string directory)
    {
        var manifest = Path.Combine(directory, "manifest.csv");
        var lines = new List<string>(settings.Tasks + 1) { "id,model,upper,mode" };
        lines.AddRange(Enumerable.Range(0, settings.Tasks).Select(i => $"look-{i},{ModelUrl(i)},{GarmentUrl(i)},fast"));
        await File.WriteAllLinesAsync(manifest, lines).ConfigureAwait(false);
        var output = Path.Combine(directory, "output");
        var log = Path.Combine(directory, "cli.log");
        await using var writer = new StreamWriter(log);
        var context = new CliContext
        {
            Out = writer,
            Error = writer,
            IsErrorRedirected = true,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ALITRYON_ENDPOINT"] = endpoint.AbsoluteUri,
                ["ALITRYON_APPCODE"] = TryOnEmulator.DefaultAppCode,
                ["AliTryOn__RateLimit__RequestsPerSecond"] = settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture),
            },
        };
        string[] args =
        [
            "run", manifest,
            "--output", output,
            "--batch-size", settings.BatchSize.ToString(CultureInfo.InvariantCulture),
            "--concurrency", settings.JobsInFlight.ToString(CultureInfo.InvariantCulture),
        ];

        var sampler = new ResourceSampler();
        var wall = Stopwatch.StartNew();
        var exitCode = await CliApp.RunAsync(args, context).ConfigureAwait(false);
        wall.Stop();
        var cpu = sampler.ProcessorTime;
        await sampler.DisposeAsync().ConfigureAwait(false);
        await writer.FlushAsync().ConfigureAwait(false);

        var report = await File.ReadAllTextAsync(Path.Combine(output, "report.csv")).ConfigureAwait(false);
        int Rows(string status) => report.Split('\n').Count(l => l.Contains($",{status},", StringComparison.Ordinal));
        var images = Directory.GetFiles(output, "look-*").Length;
        if (exitCode != 0)
        {
            Console.WriteLine(string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(20)));
        }

        return new RunResult(wall.Elapsed, Rows("succeeded"), Rows("failed"), Rows("unknown"), images, exitCode, null, cpu, ResourceSampler.PeakWorkingSet, sampler.HeapAtStart, sampler.PeakHeap, sampler.Allocated);
    }

    private static IEnumerable<TryOnTask> Tasks(int count) =>
        Enumerable.Range(0, count).Select(i => new TryOnTask(ModelUrl(i), new GarmentImage(GarmentUrl(i), GarmentKind.FlatLay)));

    private static Uri ModelUrl(int i) => new($"https://images.example.com/models/{i}.jpg");

    private static Uri GarmentUrl(int i) => new($"https://images.example.com/garments/{i}.jpg");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => F(bytes / 1024.0 / 1024.0);

    private sealed record RunResult(
        TimeSpan Wall,
        int Succeeded,
        int Failed,
        int Unknown,
        int Images,
        int? ExitCode,
        RequestCounts? ClientCounts,
        TimeSpan Cpu,
        long PeakWorkingSet,
        long HeapAtStart,
        long PeakHeap,
        long Allocated,
        TimeSpan? LastOutcome = null);
}
