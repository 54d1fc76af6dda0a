using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>The state of one task of a try-on job, as the service last reported it.</summary>
/// <param name="Index">
/// Zero-based position of the task in the job, the same as its position in the list that was submitted.
/// </param>
/// <param name="Status">The task's status; <see cref="TryOnTaskStatus.IsTerminal"/> tells whether it has finished.</param>
/// <param name="ResultUrls">
/// URLs of the generated images when <paramref name="Status"/> is <see cref="TryOnTaskStatus.Succeeded"/>; empty otherwise.
/// They are most likely expiring object-storage links: download results promptly. Each was checked when the service's
/// answer was read (an absolute http or https URL without user information); in a job read from the service, each
/// <see cref="Uri"/> is made when first read and then kept.
/// </param>
/// <param name="InferenceMode">
/// The inference mode the service echoed for this task, or <see langword="null"/> when the response did not echo it
/// (query responses usually do not). Read from either <c>inferenceMode</c> or <c>inference_mode</c>.
/// </param>
/// <remarks>
/// Read back from JSON, a task without <c>index</c>, <c>status</c> or <c>resultUrls</c> is a
/// <see cref="System.Text.Json.JsonException"/> naming it. Two results are equal when their data are, the links in order.
/// </remarks>
public sealed record TryOnTaskResult(
    [property: JsonRequired] int Index,
    [property: JsonRequired] TryOnTaskStatus Status,
    [property: JsonRequired] IReadOnlyList<Uri> ResultUrls,
    InferenceMode? InferenceMode = null) : IJsonOnDeserialized
{
    /// <summary>Whether the task finished successfully.</summary>
    [JsonIgnore]
    public bool Succeeded => Status == TryOnTaskStatus.Succeeded;

    /// <summary>Whether the task failed.</summary>
    [JsonIgnore]
    public bool Failed => Status == TryOnTaskStatus.Failed;

    /// <summary>Whether <paramref name="other"/> has the same data: index, status, inference mode, and the same links in order.</summary>
    /// <param name="other">The result to compare with.</param>
    public bool Equals(TryOnTaskResult? other) =>
        other is not null
        && Index == other.Index
        && Status == other.Status
        && InferenceMode == other.InferenceMode
        && ModelEquality.SameItems(ResultUrls, other.ResultUrls);

    /// <inheritdoc/>
    public override int GetHashCode() => (Index * 397) ^ Status.GetHashCode();

    /// <summary>Refuses a task read from JSON with <c>null</c> for its links, which [JsonRequired] lets through.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (ResultUrls is null || ResultUrls.Contains(null!))
        {
            throw new System.Text.Json.JsonException($"Task {Index}'s resultUrls {(ResultUrls is null ? "is null" : "holds a null link")}; a task has a list of links, empty until it succeeds.");
        }
    }
}
