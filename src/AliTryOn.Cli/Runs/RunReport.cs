namespace AliTryOn.Cli.Runs;

/// <summary>The results report of a <c>run</c> (report.json, and <c>run --json</c> on stdout).</summary>
/// <param name="Manifest">The manifest's full path.</param>
/// <param name="OutputDirectory">Where the images and reports went.</param>
/// <param name="Total">The manifest's valid rows.</param>
/// <param name="Succeeded">Rows succeeded, their images saved.</param>
/// <param name="Failed">Rows failed (refused, ended FAILED, or an image not saved).</param>
/// <param name="Unknown">Rows whose outcome is unknown (their job may exist).</param>
/// <param name="SubmittedJobs">Batches this run submitted that may have made a job (billed): with a key, or with none when the submit's outcome is unknown.</param>
/// <param name="ResumedJobs">Jobs an earlier run recorded with their key, waited for by this one (recorded batches without a key are not jobs to wait for: their rows are reported unknown).</param>
/// <param name="Rows">Every row's outcome, in manifest order.</param>
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
