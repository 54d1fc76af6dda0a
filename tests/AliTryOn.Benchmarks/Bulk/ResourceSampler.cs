using System.Diagnostics;

namespace AliTryOn.Benchmarks.Bulk;

/// <summary>
/// This process's CPU time, allocations and managed heap over a run: the heap is sampled every 50 ms for its peak
/// (<see cref="GC.GetTotalMemory(bool)"/>, without collecting); the peak working set is the process's own high-water mark.
/// </summary>
internal sealed class ResourceSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _cpuAtStart;
    private readonly long _allocatedAtStart;
    private readonly Task _sampling;
    private long _peakHeap;

    public ResourceSampler()
    {
        using var process = Process.GetCurrentProcess();
        _cpuAtStart = process.TotalProcessorTime;
        _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
        HeapAtStart = GC.GetTotalMemory(forceFullCollection: false);
        _peakHeap = HeapAtStart;
        _sampling = SampleAsync();
    }

    public long HeapAtStart { get; }

    public long PeakHeap => Interlocked.Read(ref _peakHeap);

    public TimeSpan ProcessorTime
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime - _cpuAtStart;
        }
    }

    public long Allocated => GC.GetTotalAllocatedBytes(precise: false) - _allocatedAtStart;

    public static long PeakWorkingSet
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.PeakWorkingSet64;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var heap = GC.GetTotalMemory(forceFullCollection: false);
                if (heap > Interlocked.Read(ref _peakHeap))
                {
                    Interlocked.Exchange(ref _peakHeap, heap);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }
}
