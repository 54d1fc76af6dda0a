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
            new("model", "url", "The photo of the person (required)."),
            new("upper", "url", "A top garment's photo."),
            new("lower", "url", "A bottom garment's photo."),
            new("full-body", "url", "A full-body outfit's photo (dress, jumpsuit)."),
            new("mode", "fast|quality", "Inference mode (default: fast)."),
            new("kind", "flat-lay|worn-by-model", "How the garments are photographed (default: flat-lay)."),
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
        GarmentImage? Garment(string name) => arguments.Value(name) is { Length: > 0 } text ? new GarmentImage(TaskOptions.ParseUrl(text, "--" + name), kind) : null;

        var task = new TryOnTask(
            TaskOptions.ParseUrl(arguments.Required("model"), "--model"),
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
            runtime.Output.Note($"Submitted as job {job.ResultKey}. Wait for it with: alitryon wait {job.ResultKey}");
            runtime.Output.Line(job.ResultKey);
        }

        return ExitCodes.Success;
    }
}
