using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>How one input of <see cref="TryOnClient.RunBulkAsync"/> ended. Each input has exactly one.</summary>
/// <param name="InputIndex">The task's position in the list given to the run.</param>
/// <param name="Task">The task, as given.</param>
/// <param name="Status">Succeeded, failed, or outcome unknown.</param>
/// <param name="ResultKey">The key of the job the task was submitted in, or <see langword="null"/> when no job was created, or none is known.</param>
/// <param name="TaskIndex">The task's position in that job (its <see cref="TryOnTaskResult.Index"/>), or <see langword="null"/> without a job.</param>
/// <param name="Result">The task's last state seen: with its images on success; <see langword="null"/> when none was seen.</param>
/// <param name="Error">
/// Why the task did not succeed: the submit's exception (a <see cref="TryOnException"/> such as
/// <see cref="TryOnQuotaExceededException"/> or <see cref="TryOnSubmitOutcomeUnknownException"/>), the wait's
/// (<see cref="TryOnWaitTimeoutException"/>…), or a <see cref="TryOnJobFailedException"/> when the service ended the
/// task <c>FAILED</c> or answered that its job failed as a whole (code <c>23500011</c>; every task of that job then
/// fails with it). <see langword="null"/> on success. Not part of the outcome's JSON form (an exception has none): keep
/// what you need of it, such as its type and <see cref="Exception.Message"/>.
/// </param>
/// <remarks>
/// In JSON (System.Text.Json) an outcome is its data without <paramref name="Error"/> and the members computed from the
/// others; a task with a local image has no JSON form (<see cref="TryOnImage"/>), so its outcome has none either.
/// </remarks>
public sealed record TryOnBulkOutcome(
    int InputIndex,
    TryOnTask Task,
    TryOnBulkStatus Status,
    string? ResultKey = null,
    int? TaskIndex = null,
    TryOnTaskResult? Result = null,
    [property: JsonIgnore] Exception? Error = null)
{
    /// <summary>Whether the task succeeded.</summary>
    [JsonIgnore]
    public bool Succeeded => Status == TryOnBulkStatus.Succeeded;

    /// <summary>The task's result image URLs: those of <see cref="Result"/>, empty unless it succeeded.</summary>
    [JsonIgnore]
    public IReadOnlyList<Uri> ResultUrls => Result?.ResultUrls ?? [];
}
