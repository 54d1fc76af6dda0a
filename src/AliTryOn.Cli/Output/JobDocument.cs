namespace AliTryOn.Cli.Output;

/// <summary><c>query --json</c> and <c>wait --json</c>: a job and its tasks.</summary>
internal sealed record JobDocument(string ResultKey, bool Completed, int Succeeded, int Failed, IReadOnlyList<TaskDocument> Tasks)
{
    public static JobDocument From(TryOnJob job) => new(
        job.ResultKey,
        job.HasCompleted,
        job.SucceededTasks.Count,
        job.FailedTasks.Count,
        [.. job.Tasks.Select(t => new TaskDocument(t.Index, t.Status.Value, t.InferenceMode?.ToString().ToLowerInvariant(), [.. t.ResultUrls.Select(u => u.AbsoluteUri)]))]);
}
