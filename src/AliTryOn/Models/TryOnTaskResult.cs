using System;
using System.Collections.Generic;
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
public sealed record TryOnTaskResult(
    int Index,
    TryOnTaskStatus Status,
    IReadOnlyList<Uri> ResultUrls,
    InferenceMode? InferenceMode = null)
{
    /// <summary>Whether the task finished successfully.</summary>
    [JsonIgnore]
    public bool Succeeded => Status == TryOnTaskStatus.Succeeded;

    /// <summary>Whether the task failed.</summary>
    [JsonIgnore]
    public bool Failed => Status == TryOnTaskStatus.Failed;
}
