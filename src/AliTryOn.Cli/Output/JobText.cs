namespace AliTryOn.Cli.Output;

/// <summary>Human-readable forms of a job.</summary>
internal static class JobText
{
    /// <summary>"task 0 RUNNING, task 1 WAITING", or counts ("3 RUNNING, 7 WAITING") for more than four tasks.</summary>
    public static string Statuses(TryOnJob job) => job.Tasks.Count <= 4
        ? string.Join(", ", job.Tasks.Select(t => $"task {t.Index} {t.Status}"))
        : string.Join(", ", job.Tasks.GroupBy(t => t.Status.Value).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    public static string Summary(TryOnJob job) => job.HasCompleted
        ? $"Job {job.ResultKey}: {job.SucceededTasks.Count} of {job.Tasks.Count} task{Plural(job.Tasks.Count)} succeeded" + (job.HasFailures ? $", {job.FailedTasks.Count} failed." : ".")
        : $"Job {job.ResultKey}: in progress ({Statuses(job)}).";

    public static void Write(CliOutput output, TryOnJob job)
    {
        output.Line(Summary(job));
        foreach (var task in job.Tasks)
        {
            var mode = task.InferenceMode is { } m ? $" ({m.ToString().ToLowerInvariant()})" : string.Empty;
            output.Line($"  task {task.Index}: {task.Status}{mode}" + (task.ResultUrls.Count > 0 ? $", {task.ResultUrls.Count} image{Plural(task.ResultUrls.Count)}" : string.Empty));
            foreach (var url in task.ResultUrls)
            {
                output.Line($"    {url.AbsoluteUri}");
            }
        }
    }

    public static string Elapsed(TimeSpan elapsed) =>
        elapsed.TotalHours >= 1 ? elapsed.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : elapsed.ToString(@"mm\:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static string Plural(int count) => count == 1 ? string.Empty : "s";
}
