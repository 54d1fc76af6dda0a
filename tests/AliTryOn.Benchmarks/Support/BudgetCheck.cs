using System.Globalization;
using BenchmarkDotNet.Reports;

namespace AliTryOn.Benchmarks.Support;

/// <summary>
/// The issue's budgets for the default pipeline, checked against one run's summary: mean time at most 1.3 × the raw
/// call, at most 2 KB more allocated per call than the raw call, faster than Refit, and mean time at most 1.3 × the
/// tuned raw call (the true limit).
/// </summary>
internal static class BudgetCheck
{
    public const double MaxTimeRatio = 1.3;
    public const long MaxExtraBytes = 2048;

    /// <summary>The SDK's contenders (benchmark method prefix, label), each held to every budget.</summary>
    private static readonly (string Method, string Label)[] Checked = [("AliTryOn", "AliTryOn"), ("AliTryOnDi", "AliTryOn-DI")];

    /// <summary>Each budget (its name in the output) and the contender it compares with (benchmark method prefix).</summary>
    private static readonly (string Budget, string Reference)[] Budgets = [("time", "Raw"), ("alloc", "Raw"), ("refit", "Refit"), ("tuned", "RawTuned")];

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
        output.WriteLine("// * Budget check (default pipeline vs the raw call, the tuned raw call and Refit, from this run) *");
        var passed = true;
        var skipped = 0;
        foreach (var operation in new[] { ClientBenchmarks.Submit, ClientBenchmarks.Query })
        {
            foreach (var (method, label) in Checked)
            {
                foreach (var (budget, reference) in Budgets)
                {
                    string[] needed = [method + "_" + operation, reference + "_" + operation];
                    if (!needed.All(inRun.Contains))
                    {
                        output.WriteLine($"{operation,-6} {label,-11} {budget,-5} not checked: filtered out of this run");
                        skipped++;
                        continue;
                    }

                    if (!results.TryGetValue(needed[0], out var sdk) || !results.TryGetValue(needed[1], out var other))
                    {
                        passed &= Line(output, operation, label, budget, false, "not checked: a contender failed to run");
                        continue;
                    }

                    passed &= budget switch
                    {
                        "time" => Ratio(output, operation, label, budget, sdk.Mean, "raw", other.Mean),
                        "tuned" => Ratio(output, operation, label, budget, sdk.Mean, "tuned", other.Mean),
                        "alloc" => Alloc(output, operation, label, sdk.Bytes, other.Bytes),
                        _ => Line(output, operation, label, budget, sdk.Mean < other.Mean, $"{Us(sdk.Mean)} vs Refit {Us(other.Mean)} (budget: faster)"),
                    };
                }
            }
        }

        output.WriteLine(
            !passed ? "// Some budget FAILED (see above)."
            : skipped == 0 ? "// All budgets PASS."
            : "// The budgets checked PASS; run the whole comparison to check them all.");
        return passed;
    }

    private static bool Ratio(TextWriter output, string operation, string label, string budget, double mean, string referenceName, double referenceMean)
    {
        var ratio = mean / referenceMean;
        return Line(output, operation, label, budget, ratio <= MaxTimeRatio,
            $"{Us(mean)} / {referenceName} {Us(referenceMean)} = {ratio.ToString("0.00", CultureInfo.InvariantCulture)}x (budget <= {MaxTimeRatio.ToString("0.0", CultureInfo.InvariantCulture)}x)");
    }

    private static bool Alloc(TextWriter output, string operation, string label, long? sdkBytes, long? rawBytes)
    {
        if (sdkBytes is null || rawBytes is null)
        {
            return Line(output, operation, label, "alloc", false, "not measured: run with the memory diagnoser");
        }

        var extra = sdkBytes.Value - rawBytes.Value;
        return Line(output, operation, label, "alloc", extra <= MaxExtraBytes,
            $"{sdkBytes} B - raw {rawBytes} B = {extra:+0;-0} B (budget <= +{MaxExtraBytes} B)");
    }

    private static bool Line(TextWriter output, string operation, string contender, string budget, bool pass, string detail)
    {
        output.WriteLine($"{operation,-6} {contender,-11} {budget,-5} {detail,-62} {(pass ? "PASS" : "FAIL")}");
        return pass;
    }

    private static string Us(double nanoseconds) => (nanoseconds / 1000).ToString("0.000", CultureInfo.InvariantCulture) + " us";
}
