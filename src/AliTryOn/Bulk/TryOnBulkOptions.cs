using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn;

/// <summary>Settings of one <see cref="TryOnClient.RunBulkAsync"/> run.</summary>
public sealed record TryOnBulkOptions
{
    /// <summary>The default of <see cref="MaxConcurrentBatches"/>: 4.</summary>
    public const int DefaultMaxConcurrentBatches = 4;

    /// <summary>How many tasks each job holds, the last one excepted. Default: 10, the service's limit. From 1 to 10.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>
    /// How many batches may be in flight at once, each being submitted or waited for. Default:
    /// <see cref="DefaultMaxConcurrentBatches"/> (4). At least 1. The client's own rate limits
    /// (<see cref="TryOnClientOptions.RateLimit"/>) apply to the calls on top of this.
    /// </summary>
    public int MaxConcurrentBatches { get; init; } = DefaultMaxConcurrentBatches;

    /// <summary>
    /// How each job is waited for (its time limit, progress). Default: <see langword="null"/>, the client's polling
    /// settings. <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is ignored: a failed task is an outcome. A job whose
    /// wait times out gives <see cref="TryOnBulkStatus.OutcomeUnknown"/> with its result key for its unfinished tasks.
    /// </summary>
    public TryOnWaitOptions? Wait { get; init; }

    /// <summary>
    /// Batches an earlier run of the same inputs submitted (as <see cref="OnBatchSubmitted"/> reported them), to
    /// resume it: their jobs are waited for, and their tasks never submitted again. A batch without a result key gives
    /// <see cref="TryOnBulkStatus.OutcomeUnknown"/> for its tasks. Default: <see langword="null"/> (none). Each input
    /// may appear in one batch only, and indexes must be within the inputs.
    /// </summary>
    public IReadOnlyList<TryOnBulkBatch>? SubmittedBatches { get; init; }

    /// <summary>
    /// Called once a batch has been submitted and may have created a job, before it is waited for: with its result key
    /// when accepted (or named by an answer that could not be read), or with none when its outcome is unknown (the
    /// submit was sent and no answer ruled a job out). Persist the batch so that a restarted run, given it in
    /// <see cref="SubmittedBatches"/>, does not submit it again. Calls are one at a time. An exception it throws stops
    /// the run and reaches the caller. Default: <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The token it receives is never cancelled by the run (it is <see cref="CancellationToken.None"/>): once a job may
    /// exist, its record is written whatever happens to the run, cancelled or left early by its consumer. The run waits
    /// for the call before it ends.
    /// </para>
    /// <para>
    /// A batch that created nothing is not reported, and may be submitted again: one refused outright (throttled after
    /// retries, quota exhausted, an image rejected…), one never sent (no rate-limit permit within
    /// <see cref="TryOnClientOptions.TotalTimeout"/>, or cancelled before it went out). Such a batch ends
    /// <see cref="TryOnBulkStatus.Failed"/> with that error. A process that stops between a job's creation and this call
    /// returning cannot have recorded that job; no client can close that gap.
    /// </para>
    /// </remarks>
    public Func<TryOnBulkBatch, CancellationToken, Task>? OnBatchSubmitted { get; init; }
}
