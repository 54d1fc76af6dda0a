using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Commands;

/// <summary><c>alitryon download &lt;resultKey&gt; --output &lt;dir&gt;</c>: waits if need be, then saves every result image.</summary>
internal static class DownloadCommand
{
    // Before Spec, which holds it (static properties are set in order); run takes it too.
    public static OptionSpec DownloadsOption { get; } = new(
        "downloads",
        $"1-{TryOnDownloadOptions.MaxConcurrencyLimit}",
        $"Images downloaded at once (default: {TryOnDownloadOptions.DefaultMaxConcurrency}).",
        a => Downloads(a));

    public static CommandSpec Spec { get; } = new(
        "download",
        "Download every result image of a job, waiting for it first if it is not finished.",
        ["resultKey"],
        [
            new("output", "dir", "The folder to save into (created if missing; default: the current folder)."),
            DownloadsOption,
            WaitCommand.TimeoutOption,
        ],
        """
        Files are named <resultKey>-task<i>-result<n>.<ext>, the extension from the image's content type.
        Images are streamed to disk, 4 at once (--downloads); an image that fails does not stop the others.
        Exit code 0 when every image was saved, 2 when some tasks failed or some images could not be
        downloaded (the others are saved), 1 on an error.
        """);

    /// <summary>How many images to download at once: <c>--downloads</c>, or the library's default.</summary>
    public static int Downloads(ParsedArguments arguments) =>
        arguments.Int("downloads", 1, TryOnDownloadOptions.MaxConcurrencyLimit) ?? TryOnDownloadOptions.DefaultMaxConcurrency;

    public static async Task<int> ExecuteAsync(CommandRuntime runtime, CancellationToken cancellationToken)
    {
        var resultKey = runtime.Arguments.Positionals[0];
        var directory = runtime.Arguments.Folder("output", ".");
        var connection = runtime.Connect();
        await using var scope = connection.ConfigureAwait(false);
        var job = await connection.Client.QueryAsync(resultKey, cancellationToken).ConfigureAwait(false);
        if (!job.HasCompleted)
        {
            job = await WaitCommand.WaitAsync(runtime, connection.Client, resultKey, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<TryOnDownloadedImage> images;
        IReadOnlyList<TryOnDownloadFailure> failures = [];
        try
        {
            images = await connection.Client.DownloadResultsAsync(job, directory, new TryOnDownloadOptions { MaxConcurrency = Downloads(runtime.Arguments) }, cancellationToken).ConfigureAwait(false);
        }
        catch (TryOnDownloadsFailedException exception)
        {
            // The other images were saved: report them, and each image that was not.
            (images, failures) = (exception.Saved, exception.Failures);
        }

        var output = runtime.Output;
        if (output.Json)
        {
            output.Document(
                new DownloadDocument(
                    job.ResultKey,
                    directory,
                    job.SucceededTasks.Count,
                    job.FailedTasks.Count,
                    [.. images.Select(i => new FileDocument(i.FilePath ?? string.Empty, i.TaskIndex, i.ResultIndex, i.ContentType, i.Length))],
                    [.. failures.Select(f => new DownloadFailureDocument(f.TaskIndex, f.ResultIndex, f.Exception.GetType().Name, CliSettings.InToolTerms(f.Exception.Message)))]),
                CliJsonContext.Default.DownloadDocument);
        }
        else
        {
            output.Line(JobText.Summary(job));
            output.Line($"Saved {images.Count} image{JobText.Plural(images.Count)} to {directory}:");
            foreach (var image in images)
            {
                output.Line($"  {image.FilePath}");
            }

            foreach (var task in job.FailedTasks)
            {
                output.Line($"  task {task.Index} FAILED: no images.");
            }

            foreach (var failure in failures)
            {
                output.Line($"  task {failure.TaskIndex} result {failure.ResultIndex} NOT SAVED ({failure.Exception.GetType().Name}): {CliSettings.InToolTerms(failure.Exception.Message)}");
            }
        }

        return job.HasFailures || failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }
}
