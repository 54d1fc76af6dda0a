using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.Samples.Console;

/// <summary>The sample's flow: configure, submit, wait with progress, download, summarise.</summary>
internal static class SampleApp
{
    /// <summary>Exit codes: every task succeeded, some failed, or the run failed.</summary>
    public const int Succeeded = 0, Failed = 1, PartlyFailed = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args, SampleArguments.SwitchMappings)
            .Build();

        SampleArguments arguments;
        try
        {
            SampleArguments.CheckOptions(args);
            arguments = SampleArguments.Read(configuration);
        }
        catch (ArgumentException exception)
        {
            await output.WriteLineAsync($"error: {exception.Message}");
            await output.WriteLineAsync(SampleArguments.Usage);
            return Failed;
        }

        try
        {
            await using var connection = Connection.Open(configuration, timeProvider, output);
            return await RunJobAsync(connection.Client, arguments, output, timeProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is ArgumentException or OptionsValidationException or TryOnWaitTimeoutException)
        {
            await output.WriteLineAsync($"error: {exception.Message}");
            return Failed;
        }
        catch (TryOnException exception)
        {
            // Every service error is a TryOnException; its subtype says which (throttled, quota, bad image...).
            await output.WriteLineAsync($"error ({exception.GetType().Name}): {exception.Message}");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync("Cancelled. A submitted job goes on in the service; its result key is printed above.");
            return Failed;
        }
    }

    private static async Task<int> RunJobAsync(TryOnClient client, SampleArguments arguments, TextWriter output, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var tasks = arguments.Tasks();
        var job = await client.SubmitAsync(tasks, cancellationToken);
        await output.WriteLineAsync($"Submitted {tasks.Count} task{(tasks.Count == 1 ? string.Empty : "s")} as job {job.ResultKey} (request {job.RequestId}).");
        for (var i = 0; i < tasks.Count; i++)
        {
            await output.WriteLineAsync($"  task {i}: {Describe(tasks[i])}");
        }

        var started = timeProvider.GetTimestamp();
        var progress = new ImmediateProgress(snapshot => output.WriteLine(
            $"  [{timeProvider.GetElapsedTime(started):mm\\:ss\\.f}] " + string.Join(", ", snapshot.Tasks.Select(t => $"task {t.Index} {t.Status}"))));
        var done = await client.WaitForCompletionAsync(job.ResultKey, new TryOnWaitOptions { Progress = progress }, cancellationToken);

        // The client downloads 4 images at once, each streamed to a temporary file and moved into place once whole,
        // with no credential sent to the storage host; one that fails does not stop the others.
        var folder = Path.GetFullPath(arguments.OutputFolder);
        IReadOnlyList<TryOnDownloadedImage> saved;
        TryOnDownloadsFailedException? notSaved = null;
        try
        {
            saved = await client.DownloadResultsAsync(done, folder, options: null, cancellationToken);
        }
        catch (TryOnDownloadsFailedException failed)
        {
            (saved, notSaved) = (failed.Saved, failed);
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Job {done.ResultKey}: {done.SucceededTasks.Count} of {done.Tasks.Count} tasks succeeded; {saved.Count} images saved:");
        foreach (var image in saved)
        {
            await output.WriteLineAsync($"  {image.FilePath}");
        }

        foreach (var failure in notSaved?.Failures ?? [])
        {
            // Result links expire: a download that failed for that reason needs a fresh query ('alitryon download <key>').
            await output.WriteLineAsync($"  task {failure.TaskIndex} result {failure.ResultIndex} NOT SAVED ({failure.Exception.GetType().Name}): {failure.Exception.Message}");
        }

        foreach (var task in done.FailedTasks)
        {
            await output.WriteLineAsync($"  task {task.Index} FAILED: {Describe(tasks[task.Index])}");
        }

        return done.HasFailures || notSaved is not null ? PartlyFailed : Succeeded;
    }

    private static string Describe(TryOnTask task)
    {
        static string Garment(string slot, GarmentImage? garment) =>
            garment is null ? string.Empty : $"{slot} {garment.Kind} {Name(garment.Image)}; ";
        var model = task.ModelImage is UrlImage ? Name(task.ModelImage) : $"{Name(task.ModelImage)} (local file, published through the image host)";
        return $"model {model}; {Garment("upper", task.Upper)}{Garment("lower", task.Lower)}{Garment("full-body", task.FullBody)}{task.InferenceMode} mode";
    }

    /// <summary>An image's file name, whether it is a URL or a local file.</summary>
    private static string Name(TryOnImage image) => image is UrlImage url ? Path.GetFileName(url.Url.AbsolutePath) : image.DisplayName;

    /// <summary>Reports on the caller's thread, so lines print in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class ImmediateProgress(Action<TryOnJob> report) : IProgress<TryOnJob>
    {
        public void Report(TryOnJob value) => report(value);
    }
}
