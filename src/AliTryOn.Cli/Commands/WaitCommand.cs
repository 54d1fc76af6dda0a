using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Commands;

/// <summary><c>alitryon wait &lt;resultKey&gt;</c>: waits for a job, showing progress on stderr.</summary>
internal static class WaitCommand
{
    public static OptionSpec TimeoutOption { get; } = new("timeout", "duration", "Give up waiting after this long: 90s, 10m, 1h (default: 10m). The job goes on.", a => a.Duration("timeout"));

    public static CommandSpec Spec { get; } = new(
        "wait",
        "Wait for a job to finish, showing status changes and the elapsed time on stderr.",
        ["resultKey"],
        [TimeoutOption],
        "Exit code 0 when every task succeeded, 2 when some failed, 1 when the wait timed out (wait again with the same key).");

    public static async Task<int> ExecuteAsync(CommandRuntime runtime, CancellationToken cancellationToken)
    {
        var connection = runtime.Connect();
        await using var scope = connection.ConfigureAwait(false);
        var job = await WaitAsync(runtime, connection.Client, runtime.Arguments.Positionals[0], cancellationToken).ConfigureAwait(false);
        QueryCommand.Print(runtime.Output, job);
        return job.HasFailures ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    /// <exception cref="TryOnWaitTimeoutException">The job did not finish within <c>--timeout</c>.</exception>
    public static async Task<TryOnJob> WaitAsync(CommandRuntime runtime, TryOnClient client, string resultKey, CancellationToken cancellationToken)
    {
        runtime.Output.Note($"Waiting for job {resultKey}…");
        using var progress = new WaitProgress(runtime.Output);
        return await client.WaitForCompletionAsync(
            resultKey,
            new TryOnWaitOptions { Timeout = runtime.Arguments.Duration("timeout"), Progress = progress },
            cancellationToken).ConfigureAwait(false);
    }
}
