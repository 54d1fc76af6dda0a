using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Commands;

/// <summary><c>alitryon submit --model … --upper …</c>: submits one try-on task and prints its job's result key.</summary>
internal static class SubmitCommand
{
    public static CommandSpec Spec { get; } = new(
        "submit",
        "Submit a try-on task (one billed job) and print its result key.",
        [],
        [
            new("model", "url", "The photo of the person (required).", a => Url(a, "model")),
            new("upper", "url", "A top garment's photo.", a => Url(a, "upper")),
            new("lower", "url", "A bottom garment's photo.", a => Url(a, "lower")),
            new("full-body", "url", "A full-body outfit's photo (dress, jumpsuit).", a => Url(a, "full-body")),
            new("mode", "fast|quality", "Inference mode (default: fast).", a => TaskOptions.ParseMode(a.Value("mode"), "--mode")),
            new("kind", "flat-lay|worn-by-model", "How the garments are photographed (default: flat-lay).", a => TaskOptions.ParseKind(a.Value("kind"), "--kind")),
        ],
        """
        At least one garment is needed. Prints the result key alone on stdout, so it can be captured:
          key=$(alitryon submit --model https://example.com/me.jpg --upper https://example.com/shirt.jpg)
          alitryon wait "$key"
        """);

    public static async Task<int> ExecuteAsync(CommandRuntime runtime, CancellationToken cancellationToken)
    {
        var arguments = runtime.Arguments;
        var kind = TaskOptions.ParseKind(arguments.Value("kind"), "--kind");
        GarmentImage? Garment(string name) => Url(arguments, name) is { } url ? new GarmentImage(url, kind) : null;

        var task = new TryOnTask(
            Url(arguments, "model") ?? throw new CliException("--model is required.", showUsage: true),
            Garment("upper"),
            Garment("lower"),
            Garment("full-body"),
            TaskOptions.ParseMode(arguments.Value("mode"), "--mode"));
        if (task.Upper is null && task.Lower is null && task.FullBody is null)
        {
            throw new CliException("Give at least one garment: --upper, --lower or --full-body.", showUsage: true);
        }

        var connection = runtime.Connect();
        await using var scope = connection.ConfigureAwait(false);
        var job = await connection.Client.SubmitAsync(task, cancellationToken).ConfigureAwait(false);
        if (runtime.Output.Json)
        {
            runtime.Output.Document(new SubmitDocument(job.ResultKey, job.RequestId, job.Tasks.Count), CliJsonContext.Default.SubmitDocument);
        }
        else
        {
            // The in-process emulator ends with this command, and its jobs with it: no later command can wait for them.
            runtime.Output.Note(arguments.Emulator
                ? $"Submitted as job {job.ResultKey} to the in-process emulator, which ends with this command: no later command can wait for the job. To try the whole flow, use 'alitryon run <manifest> --emulator', or start the emulator server and point ALITRYON_ENDPOINT at it."
                : $"Submitted as job {job.ResultKey}. Wait for it with: alitryon wait {job.ResultKey}");
            runtime.Output.Line(job.ResultKey);
        }

        return ExitCodes.Success;
    }

    /// <summary>The URL of an option, checked; null when the option is not given.</summary>
    private static Uri? Url(ParsedArguments arguments, string name) =>
        arguments.Value(name) is { Length: > 0 } text ? TaskOptions.ParseUrl(text, "--" + name) : null;
}
