namespace AliTryOn.Cli.Output;

/// <summary>
/// <c>check --json</c>: what a run of the manifest would do now. <see cref="BilledTasks"/> and <see cref="BilledJobs"/>
/// count the rows it would submit (not recorded in the state file, no problem found), in jobs of <see cref="BatchSize"/>.
/// </summary>
/// <param name="Manifest">The manifest's full path.</param>
/// <param name="State">The state file looked at (it may not exist).</param>
/// <param name="Rows">The manifest's rows, usable or not.</param>
/// <param name="RecordedRows">Rows whose job the state file records: a run waits for them and submits them not again, so they are not checked.</param>
/// <param name="UnknownRows">Of <see cref="RecordedRows"/>, those whose job's key a run never learned (it stopped while the submit was out, or no answer came): a run reports them unknown.</param>
/// <param name="Files">Distinct local files read and checked.</param>
/// <param name="Urls">Distinct URLs fetched in part and checked (none with <c>--emulator</c>).</param>
/// <param name="FailingRows">Rows with at least one problem.</param>
/// <param name="BilledTasks">Tasks a run would submit, each billed.</param>
/// <param name="BilledJobs">Jobs those tasks would form.</param>
/// <param name="BatchSize">Tasks per job (<c>--batch-size</c>).</param>
/// <param name="ImageHost">Where local images would be published (a host's type); <see langword="null"/> for none.</param>
/// <param name="ImageHostProblem">When the rows have local images and there is no host: why a run would stop before sending anything, and what to set.</param>
/// <param name="Problems">Every problem, by row.</param>
internal sealed record CheckDocument(
    string Manifest,
    string State,
    int Rows,
    int RecordedRows,
    int UnknownRows,
    int Files,
    int Urls,
    int FailingRows,
    int BilledTasks,
    int BilledJobs,
    int BatchSize,
    string? ImageHost,
    string? ImageHostProblem,
    IReadOnlyList<CheckProblem> Problems);
