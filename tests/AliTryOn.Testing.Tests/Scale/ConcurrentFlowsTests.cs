using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace AliTryOn.Testing.Tests.Scale;

/// <summary>
/// One client, 1,000 concurrent submit-and-wait flows against the in-memory emulator on a fast (fake) clock: every
/// flow completes, each job is submitted once, and the test output reports wall time, queries and peak memory
/// (docs/benchmarks.md records a run). The figures are reported, not asserted: this is not a timed test.
/// </summary>
[Collection(nameof(ScaleCollection))]
public class ConcurrentFlowsTests(ITestOutputHelper output)
{
    private const int Flows = 1000;

    [Fact]
    public async Task A_thousand_concurrent_submit_and_wait_flows_on_one_client_all_complete()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time, RandomSeed = 7 });
        // The client's time limits off, so that between queries each flow waits on its poller's timer alone.
        var client = emulator.CreateClient(o =>
        {
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        });
        var tasks = Enumerable.Range(0, Flows)
            .Select(i => new TryOnTask(
                new Uri($"https://img.test/model-{i}.png"),
                Upper: new GarmentImage(new Uri($"https://img.test/top-{i}.png"), GarmentKind.FlatLay),
                InferenceMode: i % 4 == 0 ? InferenceMode.Quality : InferenceMode.Fast))
            .ToArray();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var sampler = new PeakMemorySampler();
        var wall = Stopwatch.StartNew();
        var fakeStart = time.GetUtcNow();

        // Started together: every flow submits at once, then they all poll on the one clock.
        // No wait limit either: its timer would be a second one per flow, and the driver, counting timers, would move
        // the clock once half the flows were waiting (a CI run failed so, the other half starved of the thread pool).
        var wait = new TryOnWaitOptions { Timeout = Timeout.InfiniteTimeSpan };
        var flows = tasks.Select(task => Task.Run(() => client.SubmitAndWaitAsync(task, wait))).ToArray();
        var jobs = await FakeClock.RunAllAsync(time, flows, TimeSpan.FromMinutes(5));

        wall.Stop();
        var fakeElapsed = time.GetUtcNow() - fakeStart;
        var peakHeap = sampler.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(Flows, jobs.Length);
        Assert.All(jobs, job => Assert.True(job.HasCompleted));
        Assert.All(jobs, job => Assert.Equal(TryOnTaskStatus.Succeeded, Assert.Single(job.Tasks).Status));
        Assert.Equal(Flows, jobs.Select(j => j.ResultKey).Distinct().Count());
        Assert.Equal(Flows, emulator.JobCount);
        var records = emulator.Requests;
        var submits = records.Count(r => r.Operation == TryOnEmulatorOperation.Submit);
        var queries = records.Count(r => r.Operation == TryOnEmulatorOperation.Query);
        Assert.Equal(Flows, submits);
        // The clock moved only once every flow was waiting on it: all submitted before it did.
        Assert.All(records.Where(r => r.Operation == TryOnEmulatorOperation.Submit), r => Assert.Equal(fakeStart, r.Timestamp));
        Assert.All(records, r => Assert.Equal(200, r.Status));

        var mib = 1024d * 1024;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flows: {Flows} on one client, all completed"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests: {submits} submits, {queries} queries ({(double)queries / Flows:0.0} per flow)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fake time: {fakeElapsed.TotalSeconds:0.0} s; wall time: {wall.Elapsed.TotalSeconds:0.00} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed heap: {heapBefore / mib:0.0} MiB before, peak {peakHeap / mib:0.0} MiB (+{(peakHeap - heapBefore) / mib:0.0} MiB)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated: {allocated / mib:0.0} MiB in all, {allocated / (submits + queries) / 1024d:0.0} KiB per request (client and emulator)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / mib:0} MiB"));
    }

    /// <summary>Samples the managed heap size on a real-time timer and keeps the largest value.</summary>
    private sealed class PeakMemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakMemorySampler()
        {
            _peak = GC.GetTotalMemory(forceFullCollection: false);
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        }

        public long Stop()
        {
            _timer.Dispose();
            Sample();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            long peak;
            do
            {
                peak = Interlocked.Read(ref _peak);
            }
            while (now > peak && Interlocked.CompareExchange(ref _peak, now, peak) != peak);
        }
    }
}
