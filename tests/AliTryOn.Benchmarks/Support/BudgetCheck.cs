using System.Globalization;
using BenchmarkDotNet.Reports;

namespace AliTryOn.Benchmarks.Support;

/// <summary>
/// The issue's budgets for the default pipeline, checked against one run's summary: mean time at most 1.3 × the raw
/// call, at most 2 KB more allocated per call than the raw call, and faster than Refit.
/// </summary>
internal static class BudgetCheck
{
    public const double MaxTimeRatio = 1.3;
    public const long MaxExtraBytes = 2048;

    /// <summary>The SDK's contenders (benchmark method prefix, label), each held to every budget.</summary>
    private static readonly (string Method, string Label)[] Checked = [("AliTryOn", "AliTryOn"), ("AliTryOnDi", "AliTryOn-DI")];

    /// <summary>
    /// Prints each budget with PASS or FAIL; false when a budget failed or a contender of the run has no result.
    /// Budgets whose contenders were filtered out of the run are reported as not checked.
    /// </summary>
    public static bool Print(IEnumerable<Summary> summaries, TextWriter output)
    {
        // Keyed by method name ("AliTryOn_Query"). A benchmark of the run without a result failed; one not in the run
        // was filtered out, and a budget that needs it is not checked rather than failed.
        var reports = summaries
            .SelectMany(s => s.Reports)
            .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(ClientBenchmarks))
            .ToList();
        var inRun = reports.Select(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name).ToHashSet();
        var results = reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(
                r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                r => (Mean: r.ResultStatistics!.Mean, Bytes: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase)));
        if (inRun.Count == 0)
        {
            return true; // the comparison was filtered out: nothing to check
        }

        output.WriteLine();
        output.WriteLine("// * Budget check (default pipeline vs the raw call and Refit, from this run) *");
        var passed = true;
        var skipped = 0;
        foreach (var operation in new[] { ClientBenchmarks.Submit, ClientBenchmarks.Query })
        {
            foreach (var (method, label) in Checked)
            {
                string[] needed = ["Raw_" + operation, method + "_" + operation, "Refit_" + operation];
                if (!needed.All(inRun.Contains))
                {
                    output.WriteLine($"{operation,-6} {label,-11} not checked: filtered out of this run");
                    skipped++;
                    continue;
                }

                if (!results.TryGetValue(needed[0], out var raw)
                    || !results.TryGetValue(needed[1], out var sdk)
                    || !results.TryGetValue(needed[2], out var refit))
                {
                    passed &= Line(output, operation, label, "all", false, "not checked: a contender failed to run");
                    continue;
                }

                var ratio = sdk.Mean / raw.Mean;
                passed &= Line(output, operation, label, "time", ratio <= MaxTimeRatio,
                    $"{Us(sdk.Mean)} / raw {Us(raw.Mean)} = {ratio.ToString("0.00", CultureInfo.InvariantCulture)}x (budget <= {MaxTimeRatio.ToString("0.0", CultureInfo.InvariantCulture)}x)");

                if (sdk.Bytes is { } sdkBytes && raw.Bytes is { } rawBytes)
                {
                    var extra = sdkBytes - rawBytes;
                    passed &= Line(output, operation, label, "alloc", extra <= MaxExtraBytes,
                        $"{sdkBytes} B - raw {rawBytes} B = {extra:+0;-0} B (budget <= +{MaxExtraBytes} B)");
                }
                else
                {
                    passed &= Line(output, operation, label, "alloc", false, "not measured: run with the memory diagnoser");
                }

                passed &= Line(output, operation, label, "refit", sdk.Mean < refit.Mean,
                    $"{Us(sdk.Mean)} vs Refit {Us(refit.Mean)} (budget: faster)");
            }
        }

        output.WriteLine(
            !passed ? "// Some budget FAILED (see above)."
            : skipped == 0 ? "// All budgets PASS."
            : "// The budgets checked PASS; run the whole comparison to check them all.");
        return passed;
    }

    private static bool Line(TextWriter output, string operation, string contender, string budget, bool pass, string detail)
    {
        output.WriteLine($"{operation,-6} {contender,-11} {budget,-5} {detail,-62} {(pass ? "PASS" : "FAIL")}");
        return pass;
    }

    private static string Us(double nanoseconds) => (nanoseconds / 1000).ToString("0.000", CultureInfo.InvariantCulture) + " us";
}
