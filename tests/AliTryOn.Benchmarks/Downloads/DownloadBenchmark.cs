using System.Diagnostics;
using System.Globalization;
using AliTryOn.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Benchmarks.Downloads;

/// <summary>
/// <c>--downloads</c>: a job's result downloads over loopback, timed with a stopwatch (not BenchmarkDotNet: each run
/// takes seconds and its figure is wall time). Two parts:
/// <list type="number">
/// <item>Wall time: the emulator served by Kestrel, 200 ms of latency on every result image, a job of 10 tasks × 4
/// results (40 images) downloaded one at a time (<c>MaxConcurrency = 1</c>, the behaviour before) and at the default.</item>
/// <item>Memory: ten 20 MiB images from a small Kestrel endpoint, each mode in a fresh process of this program (so
/// peaks do not carry over): peak working set, peak managed heap, and bytes allocated.</item>
/// </list>
/// </summary>
internal static class DownloadBenchmark
{
    private const int Tasks = 10;
    private const int ResultsPerTask = 4;
    private const int Runs = 3;
    private const int LargeImages = 10;
    private const int LargeImageBytes = 20 * 1024 * 1024;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    /// <summary>The memory modes, each run in its own process: (argument, what it is).</summary>
    private static readonly (string Mode, string Description)[] MemoryModes =
    [
        ("job-default", "DownloadResultsAsync, default (4 at once, streamed to files)"),
        ("job-sequential", "DownloadResultsAsync, MaxConcurrency = 1 (streamed to files)"),
        ("stream-in-memory", "DownloadResultAsync to a non-seekable stream, one at a time (each image held whole in memory, as every download was before)"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var memoryMode = args.SkipWhile(a => a != "--downloads-memory").Skip(1).FirstOrDefault();
        if (memoryMode is not null)
        {
            await MeasureMemoryAsync(memoryMode).ConfigureAwait(false);
            return 0;
        }

        Console.WriteLine($"Downloads benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine();
        await MeasureWallTimeAsync().ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine($"Memory: {LargeImages} images of {LargeImageBytes / (1024 * 1024)} MiB from a loopback Kestrel endpoint, each mode in a fresh process.");
        Console.WriteLine();
        Console.WriteLine("| mode | wall time | peak working set | peak managed heap | allocated |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (mode, description) in MemoryModes)
        {
            Console.WriteLine($"| {description} | {await RunChildAsync(mode).ConfigureAwait(false)} |");
        }

        return 0;
    }

    /// <summary>The emulator over loopback with 200 ms per image: 40 images one at a time, then at the default.</summary>
    private static async Task MeasureWallTimeAsync()
    {
        await using var server = await StartAsync(app =>
        {
            app.MapTryOnEmulator();
        }, services => services.AddTryOnEmulator(o =>
        {
            o.QueueTime = TimeSpan.Zero;
            o.FastDuration = TimeSpan.FromMilliseconds(100);
            o.ResultsPerTask = ResultsPerTask;
        })).ConfigureAwait(false);
        var emulator = server.App.Services.GetRequiredService<TryOnEmulator>();
        var client = new TryOnClient(new TryOnClientOptions { Endpoint = server.Address, AppCode = TryOnEmulator.DefaultAppCode });
        var tasks = Enumerable.Range(0, Tasks).Select(i => new TryOnTask(
            new Uri($"https://example.com/model-{i}.jpg"),
            new GarmentImage(new Uri($"https://example.com/garment-{i}.jpg"), GarmentKind.FlatLay))).ToArray();
        var job = await client.SubmitAndWaitAsync(tasks).ConfigureAwait(false);
        var images = job.Tasks.Sum(t => t.ResultUrls.Count);
        emulator.Faults.AddAlways(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.Latency(Latency));
        var folder = Directory.CreateTempSubdirectory("alitryon-bench-");
        try
        {
            // One warm-up of each (JIT, connections), then the measured runs, alternating.
            var sequential = new List<TimeSpan>();
            var parallel = new List<TimeSpan>();
            var defaultOptions = new TryOnDownloadOptions();
            var oneAtATime = new TryOnDownloadOptions { MaxConcurrency = 1 };
            for (var run = -1; run < Runs; run++)
            {
                var s = await TimeAsync(() => client.DownloadResultsAsync(job, folder.FullName, oneAtATime)).ConfigureAwait(false);
                var p = await TimeAsync(() => client.DownloadResultsAsync(job, folder.FullName, defaultOptions)).ConfigureAwait(false);
                if (run >= 0)
                {
                    sequential.Add(s);
                    parallel.Add(p);
                }
            }

            var bytes = Directory.GetFiles(folder.FullName).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"Wall time: {images} images ({Tasks} tasks × {ResultsPerTask} results, {bytes / images / 1024} KiB each on average) from the emulator on loopback, {Latency.TotalMilliseconds} ms latency per image; median of {Runs} runs after a warm-up.");
            Console.WriteLine();
            Console.WriteLine("| mode | median | runs | per image | floor (latency × rounds) |");
            Console.WriteLine("| --- | ---: | --- | ---: | ---: |");
            Row("MaxConcurrency = 1 (one at a time, as before)", sequential, images, 1);
            Row($"default (MaxConcurrency = {TryOnDownloadOptions.DefaultMaxConcurrency})", parallel, images, TryOnDownloadOptions.DefaultMaxConcurrency);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ratio: one at a time / default = {Median(sequential).TotalMilliseconds / Median(parallel).TotalMilliseconds:F2} ×"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        void Row(string mode, List<TimeSpan> times, int count, int concurrency)
        {
            var floor = Latency * Math.Ceiling(count / (double)concurrency);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {mode} | {Median(times).TotalSeconds:F2} s | {string.Join(", ", times.Select(t => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s | {Median(times).TotalMilliseconds / count:F0} ms | {floor.TotalSeconds:F2} s |"));
        }
    }

    /// <summary>In a child process: one mode of the memory measurement; prints one table row's cells.</summary>
    private static async Task MeasureMemoryAsync(string mode)
    {
        await using var server = await StartAsync(
            app =>
            {
                app.MapGet("/big/{n:int}", context => ServeImageAsync(context, LargeImageBytes));
                app.MapGet("/small", context => ServeImageAsync(context, 1024));
            },
            _ => { }).ConfigureAwait(false);
        var client = new TryOnClient(new TryOnClientOptions { Endpoint = server.Address, AppCode = "unused" });
        var urls = Enumerable.Range(0, LargeImages).Select(n => new Uri(server.Address, $"/big/{n}")).ToArray();
        var job = new TryOnJob("bench", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, urls)]);
        var options = new TryOnDownloadOptions { MaxBytes = LargeImageBytes };
        var folder = Directory.CreateTempSubdirectory("alitryon-bench-");
        try
        {
            // Warm up on one small download (JIT, a connection), then settle, so the figures are the downloads'.
            await client.DownloadResultToFileAsync(new Uri(server.Address, "/small"), Path.Combine(folder.FullName, "warm.png"), options).ConfigureAwait(false);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var sampler = new PeakSampler();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            switch (mode)
            {
                case "job-default":
                    await client.DownloadResultsAsync(job, folder.FullName, options).ConfigureAwait(false);
                    break;
                case "job-sequential":
                    await client.DownloadResultsAsync(job, folder.FullName, options with { MaxConcurrency = 1 }).ConfigureAwait(false);
                    break;
                case "stream-in-memory":
                    for (var n = 0; n < urls.Length; n++)
                    {
                        await using var file = new FileStream(Path.Combine(folder.FullName, $"{n}.png"), FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                        await using var appendOnly = new AppendOnlyStream(file);
                        await client.DownloadResultAsync(urls[n], appendOnly, options).ConfigureAwait(false);
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown memory mode '{mode}'.", nameof(mode));
            }

            watch.Stop();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            var (workingSet, heap) = sampler.Stop();
            var written = Directory.GetFiles(folder.FullName, "*.png").Sum(f => new FileInfo(f).Length);
            if (written < (long)LargeImages * LargeImageBytes)
            {
                throw new InvalidOperationException($"Only {written} bytes were written.");
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{watch.Elapsed.TotalSeconds:F2} s | {MiB(workingSet)} (start {MiB(sampler.StartWorkingSet)}) | {MiB(heap)} (start {MiB(sampler.StartHeap)}) | {MiB(allocated)}"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>An "image" of <paramref name="length"/> bytes written 64 KiB at a time from one small buffer, so the server holds little of it.</summary>
    private static async Task ServeImageAsync(HttpContext context, int length)
    {
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = length;
        var chunk = new byte[64 * 1024];
        for (var sent = 0; sent < length; sent += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, length - sent)), context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Runs this program again with <c>--downloads-memory</c>, for a fresh process's peaks; returns its line.</summary>
    private static async Task<string> RunChildAsync(string mode)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(DownloadBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add("--downloads-memory");
        start.ArgumentList.Add(mode);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await child.WaitForExitAsync().ConfigureAwait(false);
        return child.ExitCode == 0
            ? output.Trim().Split('\n')[^1]
            : $"failed (exit code {child.ExitCode})";
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return watch.Elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB");

    /// <summary>A Kestrel host on a free loopback port.</summary>
    private static async Task<Server> StartAsync(Action<WebApplication> map, Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Server(app, new Uri(address + "/"));
    }

    private sealed record Server(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    /// <summary>Samples the process's working set and managed heap every millisecond or so, keeping the peaks.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _workingSet;
        private long _heap;

        public PeakSampler()
        {
            using var process = Process.GetCurrentProcess();
            StartWorkingSet = process.WorkingSet64;
            StartHeap = GC.GetTotalMemory(forceFullCollection: false);
            _thread = new Thread(Sample) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public long StartWorkingSet { get; }

        public long StartHeap { get; }

        public (long WorkingSet, long Heap) Stop()
        {
            _stop = true;
            _thread.Join();
            return (_workingSet, _heap);
        }

        public void Dispose() => _stop = true;

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop)
            {
                process.Refresh();
                _workingSet = Math.Max(_workingSet, process.WorkingSet64);
                _heap = Math.Max(_heap, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>A destination that cannot seek, as a network stream: the client holds each image whole before writing it.</summary>
    private sealed class AppendOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
