using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Commands;

/// <summary><c>alitryon query &lt;resultKey&gt;</c>: one look at a job.</summary>
internal static class QueryCommand
{
    public static CommandSpec Spec { get; } = new(
        "query",
        "Show a job's tasks, statuses and result URLs once, without waiting.",
        ["resultKey"],
        [],
        "Exit code 0 when the job is running or succeeded, 2 when some of its tasks failed.");

    public static async Task<int> ExecuteAsync(CommandRuntime runtime, CancellationToken cancellationToken)
    {
        var connection = runtime.Connect();
        await using var scope = connection.ConfigureAwait(false);
        var job = await connection.Client.QueryAsync(runtime.Arguments.Positionals[0], cancellationToken).ConfigureAwait(false);
        Print(runtime.Output, job);
        return job.HasFailures ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    public static void Print(CliOutput output, TryOnJob job)
    {
        if (output.Json)
        {
            output.Document(JobDocument.From(job), CliJsonContext.Default.JobDocument);
        }
        else
        {
            JobText.Write(output, job);
        }
    }
}
