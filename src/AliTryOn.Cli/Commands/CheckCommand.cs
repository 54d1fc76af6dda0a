using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Checks;
using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;
using AliTryOn.Cli.Runs;

namespace AliTryOn.Cli.Commands;

/// <summary>
/// <c>alitryon check &lt;manifest&gt;</c>: what <c>run</c> would do, without spending anything: every row read, every image
/// of the rows it would submit checked (local files read, URLs fetched in part), and the tasks and jobs it would bill.
/// Needs no credentials: nothing is published, and nothing is sent to the service.
/// </summary>
internal static class CheckCommand
{
    public static CommandSpec Spec { get; } = new(
        "check",
        "Check a manifest without spending anything: every row and image, and the tasks and jobs 'run' would bill.",
        ["manifest"],
        [
            new("output", "dir", "The output folder 'run' would use, whose state file says which rows are submitted (default: tryon-output)."),
            RunCommand.StateOption,
            RunCommand.BatchSizeOption,
        ],
        """
        Reads every row (all the manifest's errors at once), then checks each image of the rows 'run' would submit as
        the client does before a submit: local files are read (missing, unreadable, not an image, a format the service
        does not take, a side outside 400-4096 px, larger than Images:MaxBytes); URLs are fetched in part (a ranged GET
        of their first 64 KiB, with no credential) and checked the same way. Rows the state file already records are
        not submitted by 'run' again, so they are neither checked nor counted. Nothing is published or sent to the
        service: no AppCode is needed. With --emulator, local images count as published through the emulator's host and
        URLs are not fetched (the in-process emulator takes them as they are).
        Prints a table of problems (row, id, column, image, problem) and the tasks and jobs 'run' would bill.
        Exit code 0 when nothing was found, 2 when some row would fail or there is no image host for local images,
        1 when the check could not be made (a malformed manifest, invalid settings, an unusable state file).
        """);

    public static async Task<int> ExecuteAsync(CommandRuntime runtime, CancellationToken cancellationToken)
    {
        var arguments = runtime.Arguments;
        var output = runtime.Output;
        var (manifestPath, _, statePath) = RunCommand.Paths(arguments);
        var batchSize = RunCommand.BatchSize(arguments);

        var manifest = await ManifestReader.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var plan = await new RunStateStore(statePath, arguments.Emulator).LoadAsync(manifest.Entries, readOnly: true, cancellationToken).ConfigureAwait(false);
        var pending = plan.Pending;

        var connection = CliConnection.OpenForChecks(runtime.Context, arguments.Emulator, arguments.ConfigPath);
        await using var scope = connection.ConfigureAwait(false);
        output.Note($"Checking {manifestPath}: nothing is published or sent to the service.");
        var check = await ImageCheck.CheckAsync(connection.Client, pending, urls: !arguments.Emulator, cancellationToken).ConfigureAwait(false);

        var problems = manifest.Errors.Select(e => new CheckProblem(e.Row, e.Id, null, null, "InvalidRow", e.Message))
            .Concat(check.Findings.Select(f => new CheckProblem(f.Entry.Row, f.Entry.Id, f.Image.Column, f.Image.Shown, f.Problem.ToString(), f.Detail)))
            .OrderBy(p => p.Row)
            .ToArray();
        var refused = check.Findings.Select(f => f.Entry.Row).ToHashSet();
        var billedTasks = pending.Count(e => !refused.Contains(e.Row));
        var localRows = pending.Where(e => e.Written.HasLocalImages).ToArray();
        var hostProblem = localRows.Length > 0 && connection.ImageHost is null
            ? $"{localRows.Length} row{JobText.Plural(localRows.Length)} to submit {(localRows.Length == 1 ? "has" : "have")} local images, and no image host is configured: 'run' would stop before sending anything. {ImageHostFactory.Hint}"
            : null;
        var document = new CheckDocument(
            manifestPath,
            statePath,
            manifest.Entries.Count + manifest.Errors.Count,
            plan.ManifestCount - pending.Count,
            plan.Unanswered.Count(i => i < plan.ManifestCount),
            check.Files,
            check.Urls,
            problems.Select(p => p.Row).Distinct().Count(),
            billedTasks,
            (billedTasks + batchSize - 1) / batchSize,
            batchSize,
            connection.ImageHost,
            hostProblem,
            problems);

        if (output.Json)
        {
            output.Document(document, CliJsonContext.Default.CheckDocument);
        }
        else
        {
            Write(output, document);
        }

        return problems.Length > 0 || hostProblem is not null ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    private static void Write(CliOutput output, CheckDocument check)
    {
        var images = check.Files + check.Urls;
        output.Line($"{Path.GetFileName(check.Manifest)}: {check.Rows} row{JobText.Plural(check.Rows)}; "
            + $"{images} image{JobText.Plural(images)} checked ({check.Files} local file{JobText.Plural(check.Files)}, {check.Urls} URL{JobText.Plural(check.Urls)}).");
        if (check.RecordedRows > 0)
        {
            output.Line($"{check.RecordedRows} row{JobText.Plural(check.RecordedRows)} already submitted (recorded in {check.State}): 'run' waits for {(check.RecordedRows == 1 ? "its job" : "their jobs")}, not checked or counted.");
            if (check.UnknownRows > 0)
            {
                var one = check.UnknownRows == 1;
                output.Line($"{check.UnknownRows} of them {(one ? "has" : "have")} a job whose key never arrived (a run stopped while the submit was out, or no answer came): 'run' reports {(one ? "it" : "them")} unknown, not submitted again (its message says how to submit {(one ? "it" : "them")} again).");
            }
        }

        if (check.Problems.Count > 0)
        {
            output.Line();
            TextTable.Write(
                output,
                ["ROW", "ID", "COLUMN", "IMAGE", "PROBLEM"],
                [.. check.Problems.Select(p => (IReadOnlyList<string>)[p.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Id ?? "-", p.Column ?? "-", p.Image ?? "-", p.Message])]);
            output.Line();
        }

        var invalidRows = check.Problems.Any(p => p.Problem == "InvalidRow");
        if (invalidRows)
        {
            output.Line("'run' refuses this manifest until its invalid rows (InvalidRow) are fixed or removed.");
        }

        if (check.ImageHostProblem is not null)
        {
            output.Line(check.ImageHostProblem);
        }
        else if (check.ImageHost is not null && check.Files > 0)
        {
            output.Line($"Local images would be published through {check.ImageHost}.");
        }

        output.Line(check.FailingRows == 0
            ? "No problems found."
            : $"{check.FailingRows} of {check.Rows} row{JobText.Plural(check.Rows)} would fail; they are not counted below.");
        var when = invalidRows || check.ImageHostProblem is not null ? "Billed once 'run' can start" : "Billed if run now";
        output.Line($"{when}: {check.BilledTasks} task{JobText.Plural(check.BilledTasks)} in {check.BilledJobs} job{JobText.Plural(check.BilledJobs)} (up to {check.BatchSize} tasks a job).");
    }
}
