using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>
/// A snapshot of a try-on job: what <see cref="TryOnClient.SubmitAsync(System.Collections.Generic.IEnumerable{TryOnTask}, System.Threading.CancellationToken)"/>
/// returns when the job is created and what <see cref="TryOnClient.QueryAsync(string, System.Threading.CancellationToken)"/> returns later.
/// </summary>
/// <param name="ResultKey">
/// The job's id (<c>result_key</c>). Keep it: it is all that is needed to query or wait for the job later,
/// from this process or another one.
/// </param>
/// <param name="Tasks">The job's tasks, in the order they were submitted.</param>
/// <param name="RequestId">The service's id for the request that returned this snapshot, for support cases; may be <see langword="null"/>.</param>
/// <param name="Severity">The service's undocumented <c>severity</c> field (for example <c>info</c>), carried as sent; <see langword="null"/> when absent.</param>
/// <remarks>
/// In JSON (System.Text.Json, source-generated contexts included) a job is its own data: <c>resultKey</c>, <c>tasks</c>,
/// <c>requestId</c>, <c>severity</c>; the members computed from them are left out, and statuses are strings. Read
/// back, a job without <c>resultKey</c> or <c>tasks</c> is a <see cref="System.Text.Json.JsonException"/> naming it.
/// Two jobs are equal when their data are, task by task (a job read back equals the one written).
/// </remarks>
public sealed record TryOnJob(
    [property: JsonRequired] string ResultKey,
    [property: JsonRequired] IReadOnlyList<TryOnTaskResult> Tasks,
    string? RequestId = null,
    TryOnSeverity? Severity = null) : IJsonOnDeserialized
{
    /// <summary>
    /// Whether every task has finished (<see cref="TryOnTaskStatus.Succeeded"/> or <see cref="TryOnTaskStatus.Failed"/>).
    /// A job with no tasks is not complete.
    /// </summary>
    [JsonIgnore]
    public bool HasCompleted => Tasks.Count > 0 && Tasks.All(static t => t.Status.IsTerminal);

    /// <summary>Whether at least one task failed.</summary>
    [JsonIgnore]
    public bool HasFailures => Tasks.Any(static t => t.Failed);

    /// <summary>The tasks that finished successfully, in order. Computed on each access.</summary>
    [JsonIgnore]
    public IReadOnlyList<TryOnTaskResult> SucceededTasks => Tasks.Where(static t => t.Succeeded).ToArray();

    /// <summary>The tasks that failed, in order. Computed on each access.</summary>
    [JsonIgnore]
    public IReadOnlyList<TryOnTaskResult> FailedTasks => Tasks.Where(static t => t.Failed).ToArray();

    /// <summary>Every result image URL of every successful task, in task order. Computed on each access.</summary>
    [JsonIgnore]
    public IReadOnlyList<Uri> ResultUrls => Tasks.SelectMany(static t => t.ResultUrls).ToArray();

    /// <summary>The task at <paramref name="index"/> in the job (its <see cref="TryOnTaskResult.Index"/>), or <see langword="null"/> when the service answered none there.</summary>
    internal TryOnTaskResult? TaskAt(int index)
    {
        foreach (var task in Tasks)
        {
            if (task.Index == index)
            {
                return task;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="other"/> has the same data: key, request id, severity, and equal tasks in the same order.</summary>
    /// <param name="other">The job to compare with.</param>
    public bool Equals(TryOnJob? other) =>
        other is not null
        && string.Equals(ResultKey, other.ResultKey, StringComparison.Ordinal)
        && string.Equals(RequestId, other.RequestId, StringComparison.Ordinal)
        && Equals(Severity, other.Severity)
        && ModelEquality.SameItems(Tasks, other.Tasks);

    /// <inheritdoc/>
    public override int GetHashCode() => ModelEquality.Hash(ResultKey, Tasks);

    /// <summary>Refuses a job read from JSON with <c>null</c> for its key or tasks, which [JsonRequired] lets through.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        var problem = ResultKey is null ? "resultKey is null" : Tasks is null ? "tasks is null" : Tasks.Contains(null!) ? "tasks hold a null" : null;
        if (problem is not null)
        {
            throw new System.Text.Json.JsonException($"A try-on job's {problem}; a job has a result key and a list of tasks.");
        }
    }
}
