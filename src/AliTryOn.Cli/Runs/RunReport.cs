namespace AliTryOn.Cli.Runs;

/// <summary>The results report of a <c>run</c> (report.json, and <c>run --json</c> on stdout).</summary>
internal sealed record RunReport(
    string Manifest,
    string OutputDirectory,
    int Total,
    int Succeeded,
    int Failed,
    int Unknown,
    int SubmittedJobs,
    int ResumedJobs,
    IReadOnlyList<RunReportRow> Rows);
