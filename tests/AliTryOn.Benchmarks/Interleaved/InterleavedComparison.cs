using System.Diagnostics;

namespace AliTryOn.Benchmarks.Interleaved;

/// <summary>
/// The per-call ratios to the tuned baseline, measured interleaved (<c>--interleaved</c>): slices of 150 ms of the
/// tuned call and of each contender alternate for the given time, and each ratio is the median of the ratios of
/// neighbouring slices. A machine whose speed drifts over a run (another virtual machine on the host, frequency
/// scaling) moves both sides of each ratio together, which the separate runs of BenchmarkDotNet cannot promise.
/// Not BenchmarkDotNet: no allocation figures, no budgets; a documented program for the ratios alone. With
/// <c>--breakdown</c> the contenders are the breakdown's query with layers taken away (its ablation rows).
/// </summary>
internal static class InterleavedComparison
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(150);

    public static async Task<int> RunAsync(string[] args)
    {
        var given = args.SkipWhile(a => a != "--seconds").Skip(1).FirstOrDefault("30");
        if (!int.TryParse(given, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
        {
            Console.Error.WriteLine($"--seconds must be a whole number of seconds, 1 or more; '{given}' is not.");
            return 2;
        }

        var benchmarks = new ClientBenchmarks();
        await benchmarks.Setup();
        var breakdown = new CostBreakdownBenchmarks();
        breakdown.Setup();
        try
        {
            (string Name, Func<Task<string>> Tuned, Func<Task<string>> Call)[] pairs = args.Contains("--breakdown")
                ?
                [
                    // The query with layers taken away (the breakdown's ablation rows), each against Raw-tuned.
                    ("Query, no resilience", breakdown.Ablation_Tuned, breakdown.Ablation_NoResilience),
                    ("Query, no strategy", breakdown.Ablation_Tuned, breakdown.Ablation_NoStrategies),
                    ("Query, retry only", breakdown.Ablation_Tuned, breakdown.Ablation_RetryOnly),
                    ("Query, limits only", breakdown.Ablation_Tuned, breakdown.Ablation_TimeLimitsOnly),
                    ("Query, no total limit", breakdown.Ablation_Tuned, breakdown.Ablation_OneTimeLimit),
                    ("Query, default", breakdown.Ablation_Tuned, breakdown.Ablation_Default),
                ]
                :
                [
                    ("Submit AliTryOn", benchmarks.RawTuned_Submit, benchmarks.AliTryOn_Submit),
                    ("Submit AliTryOn-DI", benchmarks.RawTuned_Submit, benchmarks.AliTryOnDi_Submit),
                    ("Query  AliTryOn", benchmarks.RawTuned_Query, benchmarks.AliTryOn_Query),
                    ("Query  AliTryOn-DI", benchmarks.RawTuned_Query, benchmarks.AliTryOnDi_Query),
                ];
            Console.WriteLine($"// Interleaved: {Slice.TotalMilliseconds:F0} ms slices, {seconds} s per line, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            foreach (var (name, tuned, call) in pairs)
            {
                // Warm-up: both sides jitted and tiered up before anything counts.
                for (var i = 0; i < 10; i++)
                {
                    await NanosecondsPerCallAsync(tuned);
                    await NanosecondsPerCallAsync(call);
                }

                var ratios = new List<double>();
                var tunedTimes = new List<double>();
                var callTimes = new List<double>();
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed.TotalSeconds < seconds)
                {
                    var baseline = await NanosecondsPerCallAsync(tuned);
                    var measured = await NanosecondsPerCallAsync(call);
                    tunedTimes.Add(baseline);
                    callTimes.Add(measured);
                    ratios.Add(measured / baseline);
                }

                Console.WriteLine(
                    $"{name,-22} {Median(callTimes),7:F0} ns / tuned {Median(tunedTimes),6:F0} ns = {Median(ratios):F2}x " +
                    $"(quartiles {Quantile(ratios, 0.25):F2} to {Quantile(ratios, 0.75):F2}, {ratios.Count} pairs; target <= 1.3x)");
            }

            return 0;
        }
        finally
        {
            breakdown.Cleanup();
            benchmarks.Cleanup();
        }
    }

    private static async Task<double> NanosecondsPerCallAsync(Func<Task<string>> call)
    {
        var watch = Stopwatch.StartNew();
        long calls = 0;
        while (watch.Elapsed < Slice)
        {
            for (var i = 0; i < 100; i++)
            {
                await call();
            }

            calls += 100;
        }

        return watch.Elapsed.TotalNanoseconds / calls;
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)(q * (sorted.Count - 1))];
    }
}
