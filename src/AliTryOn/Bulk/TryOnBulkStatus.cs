using System.Text.Json.Serialization;
using AliTryOn.Serialization;

namespace AliTryOn;

/// <summary>How one task of a bulk run ended; see <see cref="TryOnBulkOutcome"/>.</summary>
/// <remarks>In JSON, its name ("Succeeded"; read in any case, never as a number).</remarks>
[JsonConverter(typeof(TryOnEnumJsonConverter<TryOnBulkStatus>))]
public enum TryOnBulkStatus
{
    /// <summary>The task succeeded: <see cref="TryOnBulkOutcome.Result"/> has its images.</summary>
    Succeeded,

    /// <summary>
    /// The task failed: its job was refused (nothing was created, so it may be submitted again; no
    /// <see cref="TryOnBulkOutcome.ResultKey"/>), or its job was created (its key is set) and the service ended the task
    /// <c>FAILED</c>, failed the job as a whole, answered about it unusably, or no longer knows a job an earlier run
    /// created (submitting it again is billed again). <see cref="TryOnBulkOutcome.Error"/> says which.
    /// </summary>
    Failed,

    /// <summary>
    /// Whether the task ran is not known: its submit's outcome is unknown, or its job was created but waiting for it
    /// timed out or failed (the service not knowing yet a job this run created included: a
    /// <see cref="TryOnJobNotFoundException"/>). <see cref="TryOnBulkOutcome.ResultKey"/>, when set, is the job to wait for later;
    /// without one, resubmitting may create a duplicate.
    /// </summary>
    OutcomeUnknown,
}
