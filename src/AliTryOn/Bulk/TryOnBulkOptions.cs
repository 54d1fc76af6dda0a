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
    /// Batches an earlier run of the same inputs submitted or was about to submit (as <see cref="OnBatchSubmitted"/> and
    /// <see cref="OnBatchSubmitting"/> reported them, less those <see cref="OnBatchNotSubmitted"/> took back), to
    /// resume it: their jobs are waited for, and their tasks never submitted again. A batch without a result key gives
    /// <see cref="TryOnBulkStatus.OutcomeUnknown"/> for its tasks. Default: <see langword="null"/> (none). Each input
    /// may appear in one batch only, and indexes must be within the inputs.
    /// </summary>
    public IReadOnlyList<TryOnBulkBatch>? SubmittedBatches { get; init; }

    /// <summary>
    /// Called as a batch's submit is about to leave for the service, with no result key: persist it as a batch whose job
    /// may exist, so that a process killed while the submit is out (SIGKILL, out of memory, a power cut) leaves a record,
    /// and a restarted run given it in <see cref="SubmittedBatches"/> reports its tasks as
    /// <see cref="TryOnBulkStatus.OutcomeUnknown"/> instead of submitting, and billing, them again. Each call is followed
    /// by exactly one of <see cref="OnBatchSubmitted"/> (the batch may have created a job: replace the record with it) or
    /// <see cref="OnBatchNotSubmitted"/> (it created none: remove the record), unless the process stops first. Calls
    /// are one at a time, with the other two. An exception it throws stops the run and reaches the caller, and that
    /// batch is not sent. Default: <see langword="null"/> (a process killed during a submit leaves no record of it).
    /// </summary>
    /// <remarks>
    /// <para>
    /// When: a <see cref="TryOnClient"/> created from <see cref="TryOnClientOptions"/> or registered with
    /// <c>AddTryOnClient</c> calls it as it hands the submit's first attempt to the transport, after the batch's local
    /// images are published, its rate-limit permit is granted and the handlers added to its registration have run. A
    /// batch that never gets that far (a local image refused, no rate-limit permit in time, the run cancelled while it
    /// waited) is not announced, and so never reaches <see cref="OnBatchNotSubmitted"/> either; a process killed while
    /// batches wait for permits leaves no record of them. It runs while the submit holds its rate-limit permit and
    /// counts against the call's time limits: keep it quick. A client built on your own
    /// <see cref="System.Net.Http.HttpClient"/> (or from an <c>IHttpClientFactory</c> of your own), a subclass of
    /// <see cref="TryOnClient"/> and a mock have it called before <c>SubmitAsync</c> instead.
    /// </para>
    /// <para>
    /// The price of the record: a process killed after the call and before the request left leaves that batch's tasks,
    /// never sent, reported as unknown; submit them again by hand once you know their job does not exist. A batch
    /// split after a refusal of one of its images (see <see cref="OnBatchNotSubmitted"/>) is announced again for each
    /// part. A submit sent again after a refusal (throttled) is announced once. The token it receives is never
    /// cancelled by the run (it is <see cref="CancellationToken.None"/>).
    /// </para>
    /// </remarks>
    public Func<TryOnBulkBatch, CancellationToken, Task>? OnBatchSubmitting { get; init; }

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
    /// for the call before it ends. The first exception a record of any of the three throws is what the caller gets,
    /// whatever else ends the run, since a batch that may have created a job may then be unrecorded: it stops the run,
    /// and when it comes as the run stops for another reason it is thrown in place of the cancellation, of a later
    /// record's failure, or of an exception the consumer's own <c>await foreach</c> body threw (which the run cannot
    /// see), from the end of that <c>await foreach</c>. An <see cref="OperationCanceledException"/> a record throws
    /// (a store's own time-out) counts as a failure too.
    /// </para>
    /// <para>
    /// A batch that created nothing is not reported here (it goes to <see cref="OnBatchNotSubmitted"/> if it was
    /// announced), and may be submitted again: one refused outright (throttled after retries, quota exhausted, an image
    /// rejected…), one never sent (no rate-limit permit within <see cref="TryOnClientOptions.TotalTimeout"/>, or
    /// cancelled before it went out). Such a batch ends <see cref="TryOnBulkStatus.Failed"/> with that error. A process
    /// that stops between a job's creation and this call returning has not recorded that job here:
    /// <see cref="OnBatchSubmitting"/>, recorded as the submit leaves, closes that gap. Should a batch that may have
    /// created a job reach this call unannounced, it is announced first, so the two always come as a pair.
    /// </para>
    /// </remarks>
    public Func<TryOnBulkBatch, CancellationToken, Task>? OnBatchSubmitted { get; init; }

    /// <summary>
    /// Called when a batch announced to <see cref="OnBatchSubmitting"/> created no job, so its tasks may be submitted
    /// again: refused outright (throttled after retries, quota exhausted, an image rejected, the service unreachable…)
    /// or not sent after all (the run cancelled, or the call's time ran out, between the announcement and the request
    /// leaving). The
    /// counterpart of <see cref="OnBatchSubmitting"/>: remove the record that call made. It comes only after an
    /// announcement, whether or not <see cref="OnBatchSubmitting"/> is set: a batch refused before it was announced
    /// (see there) has no record to remove. The batch's tasks end <see cref="TryOnBulkStatus.Failed"/> with that error,
    /// or, after a refusal of one of its images, are submitted again as smaller batches (each announced again) so that
    /// the refused task fails alone. Calls are one at a time, with the other two; the token is never cancelled by the
    /// run. An exception it throws stops the run and reaches the caller (the record stays, and a restarted run reports
    /// its tasks as unknown). Default: <see langword="null"/>.
    /// </summary>
    public Func<TryOnBulkBatch, CancellationToken, Task>? OnBatchNotSubmitted { get; init; }
}
