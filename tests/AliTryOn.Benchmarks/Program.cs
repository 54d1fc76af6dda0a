using AliTryOn.Benchmarks;
using AliTryOn.Benchmarks.Downloads;
using AliTryOn.Benchmarks.Support;
using AliTryOn.Benchmarks.Bulk;
using AliTryOn.Benchmarks.Interleaved;
using BenchmarkDotNet.Running;

// --downloads: the download benchmark (wall time and memory over loopback), a program of its own, not BenchmarkDotNet.
if (args.Contains("--downloads") || args.Contains("--downloads-memory"))
{
    return await DownloadBenchmark.RunAsync(args);
}

// --state: what recording a CLI run costs, the state file rewritten at each change against its journal (a program of its own).
if (args.Contains("--state"))
{
    return await AliTryOn.Benchmarks.State.StateFileBenchmark.RunAsync(args);
}

// The end-to-end bulk run (--bulk, with its own arguments) is a program of its own, not a BenchmarkDotNet benchmark.
if (args.Contains("--bulk"))
{
    return await BulkBenchmark.RunAsync(BulkSettings.Parse(args)).ConfigureAwait(false);
}

// --interleaved: the per-call ratios to the tuned baseline, measured interleaved in one process (a program of its own);
// with --breakdown, the breakdown's query with layers taken away instead.
if (args.Contains("--interleaved"))
{
    return await InterleavedComparison.RunAsync(args);
}

// Own flags: --short (quick in-process job), --breakdown (the diagnostic benchmarks); everything else goes to
// BenchmarkDotNet, so --filter, --list and the rest work as usual.
var shortRun = args.Contains("--short");
var breakdown = args.Contains("--breakdown");
var forwarded = args.Where(a => a is not "--short" and not "--breakdown").ToList();
string[] selectors = ["--filter", "-f", "--list", "--help", "-h", "--info", "--version", "-?"];
if (!forwarded.Any(a => selectors.Contains(a)))
{
    // Without a filter BenchmarkDotNet asks interactively; run the budgeted comparison (or the breakdown) instead.
    forwarded.AddRange(["--filter", breakdown ? $"*{nameof(CostBreakdownBenchmarks)}*" : $"*{nameof(ClientBenchmarks)}*"]);
}

var artifacts = BenchmarkConfigs.ArtifactsPath();
var config = shortRun ? BenchmarkConfigs.Short(artifacts) : BenchmarkConfigs.Full(artifacts);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ClientBenchmarks).Assembly).Run([.. forwarded], config).ToList();
var check = new StringWriter();
var passed = BudgetCheck.Print(summaries, check);
Console.Write(check);
if (check.GetStringBuilder().Length > 0)
{
    // Beside BenchmarkDotNet's own reports (results/*-report-github.md), for docs/benchmarks.md.
    var results = Directory.CreateDirectory(Path.Combine(artifacts, "results"));
    File.WriteAllText(Path.Combine(results.FullName, "budget-check.txt"), check.ToString());
}

// A failed budget fails the command, so a script or CI step can rely on the exit code.
return passed ? 0 : 1;
