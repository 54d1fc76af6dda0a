using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Client;
using AliTryOn.Http;

namespace AliTryOn.Bulk;

/// <summary>
/// One bulk run: batches of tasks submitted and waited for through the client's own (virtual) methods, a bounded number
/// at a time, each batch ending as one outcome per task whatever happens to it. Waiting for earlier runs' batches
/// comes first, then the new batches in input order.
/// </summary>
internal sealed class BulkRunner
{
    private readonly TryOnClient _client;
    private readonly TryOnTask[] _tasks;
    private readonly TryOnBulkOptions _options;
    private readonly TryOnWaitOptions _wait;

    private BulkRunner(TryOnClient client, TryOnTask[] tasks, TryOnBulkOptions options)
    {
        _client = client;
        _tasks = tasks;
        _options = options;
        // A failed task is an outcome of its own here, never an exception that would hide its job's other tasks.
        _wait = (options.Wait ?? new TryOnWaitOptions()) with { ThrowOnFailedTasks = false };
    }

    /// <summary>Checks every argument, so nothing is sent unless all are valid, then returns the run, not yet started.</summary>
    /// <exception cref="ArgumentNullException">The tasks, a task or a URL is null, or a submitted batch is.</exception>
    /// <exception cref="ArgumentException">A task or a submitted batch is unusable.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IAsyncEnumerable<TryOnBulkOutcome> Start(TryOnClient client, IEnumerable<TryOnTask> tasks, TryOnBulkOptions? options, CancellationToken cancellationToken)
    {
        var checkedTasks = TryOnRequestValidator.ValidateEach(tasks, nameof(tasks));
        options ??= new TryOnBulkOptions();
        if (options.BatchSize is < 1 or > TryOnRequestValidator.MaxTasksPerJob)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"TryOnBulkOptions.BatchSize must be from 1 to {TryOnRequestValidator.MaxTasksPerJob}.");
        }

        if (options.MaxConcurrentBatches < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrentBatches, "TryOnBulkOptions.MaxConcurrentBatches must be at least 1.");
        }

        Polling.TryOnJobPoller.Validate(options.Wait, nameof(options));

        var batches = Plan(checkedTasks.Length, options);
        return new BulkRunner(client, checkedTasks, options).RunAsync(batches, cancellationToken);
    }

    /// <summary>The earlier run's batches (checked), then the other inputs in order, in batches of the batch size.</summary>
    private static Queue<Batch> Plan(int count, TryOnBulkOptions options)
    {
        var batches = new Queue<Batch>();
        var covered = new bool[count];
        var submitted = options.SubmittedBatches ?? [];
        for (var b = 0; b < submitted.Count; b++)
        {
            var path = $"TryOnBulkOptions.SubmittedBatches[{b}]";
            var batch = submitted[b] ?? throw new ArgumentNullException(nameof(options), path + " is null.");
            if (batch.ResultKey is not null && string.IsNullOrWhiteSpace(batch.ResultKey))
            {
                throw new ArgumentException(path + ".ResultKey must be null or a result key, not empty or whitespace.", nameof(options));
            }

            var indices = batch.InputIndices?.ToArray() ?? throw new ArgumentNullException(nameof(options), path + ".InputIndices is null.");
            if (indices.Length is 0 or > TryOnRequestValidator.MaxTasksPerJob)
            {
                throw new ArgumentException($"{path}.InputIndices must hold 1 to {TryOnRequestValidator.MaxTasksPerJob} indexes; it holds {indices.Length}.", nameof(options));
            }

            foreach (var index in indices)
            {
                if (index < 0 || index >= count)
                {
                    throw new ArgumentException($"{path}.InputIndices holds {index}, outside the {count} tasks given.", nameof(options));
                }

                if (covered[index])
                {
                    throw new ArgumentException($"{path}.InputIndices holds {index}, which an earlier batch holds too.", nameof(options));
                }

                covered[index] = true;
            }

            var keys = batch.ImageKeys;
            for (var k = 0; k < keys.Count; k++)
            {
                if (!Images.ImagePublisher.IsPublishedKey(keys[k]))
                {
                    throw new ArgumentException($"{path}.ImageKeys[{k}] is not a key the client publishes under ({{32 hex}}/{{64 hex}}.{{jpg, png, webp, bmp or gif}}), as reported by OnBatchSubmitted: a resumed run deletes only the images the client published.", nameof(options));
                }
            }

            batches.Enqueue(new Batch(indices, batch.ResultKey, Submitted: true) { ImageKeys = keys });
        }

        var next = new List<int>(options.BatchSize);
        for (var i = 0; i < count; i++)
        {
            if (covered[i])
            {
                continue;
            }

            next.Add(i);
            if (next.Count == options.BatchSize)
            {
                batches.Enqueue(new Batch([.. next], ResultKey: null, Submitted: false));
                next.Clear();
            }
        }

        if (next.Count > 0)
        {
            batches.Enqueue(new Batch([.. next], ResultKey: null, Submitted: false));
        }

        return batches;
    }

    private async IAsyncEnumerable<TryOnBulkOutcome> RunAsync(Queue<Batch> pending, CancellationToken cancellationToken, [EnumeratorCancellation] CancellationToken enumeratorCancellation = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, enumeratorCancellation);
        using var records = new Records();
        var running = new List<Task<TryOnBulkOutcome[]>>(_options.MaxConcurrentBatches);
        Exception? ending = null; // what a batch threw that is ending the run (one of the caller's records, or a cancellation)
        try
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                while (running.Count < _options.MaxConcurrentBatches && pending.Count > 0)
                {
                    cancellation.Token.ThrowIfCancellationRequested();
                    running.Add(RunBatchAsync(pending.Dequeue(), records, cancellation.Token));
                }

                var finished = await Task.WhenAny(running).ConfigureAwait(false);
                running.Remove(finished);
                TryOnBulkOutcome[] outcomes;
                try
                {
                    outcomes = await finished.ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    ending = exception;
                    throw;
                }

                foreach (var outcome in outcomes)
                {
                    yield return outcome;
                }
            }
        }
        finally
        {
            // Should the run end early (cancelled, the callback failed, or the caller stopped enumerating), the batches
            // still going are stopped and awaited, so that none outlives the run or its reporting. After a whole run
            // there are none, and this does nothing.
            cancellation.Cancel();
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Their cancellation, or a record's failure: the first of those is thrown below.
            }

            if (records.FirstFailure is { } failure && !ReferenceEquals(failure, ending))
            {
                // A record that failed as the run stopped (a batch cancelled while its submit was out, or whose job came
                // as it stopped), or before the failure now ending the run: a job may exist unrecorded, which a
                // cancellation, an early leave or a later failure must not hide.
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
    }

    /// <summary>One batch, submitted (unless an earlier run did) and waited for: an outcome for each of its tasks.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="Exception">Whatever one of the caller's records (<see cref="TryOnBulkOptions.OnBatchSubmitting"/> and the others) threw.</exception>
    private async Task<TryOnBulkOutcome[]> RunBatchAsync(Batch batch, Records records, CancellationToken cancellationToken)
    {
        var resultKey = batch.ResultKey;
        TryOnJob? job = null;
        long? submittedAt = null; // a timestamp of the client's clock, for the job's duration; unknown for an earlier run's
        if (batch.Submitted)
        {
            if (resultKey is null)
            {
                return Each(batch, TryOnBulkStatus.OutcomeUnknown, new TryOnSubmitOutcomeUnknownException(
                    "An earlier run submitted this task's batch, or was about to, without learning whether the service created the job (TryOnBulkOptions.SubmittedBatches names no result key), so it was not submitted again.")
                {
                    Tasks = Tasks(batch),
                });
            }

            // The earlier run's images for the job: deleted when this run sees it end, as that run would have.
            _client.ExpectImages(resultKey, batch.ImageKeys);
        }
        else
        {
            var tasks = Tasks(batch);
            // Recorded before it is sent: a process killed while the submit is out leaves a record, not a duplicate. The
            // client's transport tracker records it as the submit leaves (after its images are published and its
            // rate-limit permit granted), so a batch killed while waiting leaves none; a client without one, before.
            var submitting = new SubmittingRecord(() => records.ReportAsync(_options.OnBatchSubmitting, batch.Record(null)), cancellationToken, _client.TimeProvider);
            if (_client.RecordsSubmitsAsSent)
            {
                SubmittingRecord.Expect(submitting);
            }
            else
            {
                await submitting.MakeAsync().ConfigureAwait(false);
            }

            // Each way the submit ends below resolves a record that was made once: a job may exist (recorded first if
            // the submit never made it), or none does (nothing to resolve if it was never made).
            async Task SubmittedAsync(string? key)
            {
                await submitting.MakeAsync().ConfigureAwait(false);
                await records.ReportAsync(_options.OnBatchSubmitted, batch.Record(key) with { ImageKeys = key is null ? [] : _client.ImageKeysOf(key) }).ConfigureAwait(false);
            }

            Task NotSubmittedAsync() => submitting.IsMade ? records.ReportAsync(_options.OnBatchNotSubmitted, batch.Record(null)) : Task.CompletedTask;
            try
            {
                submittedAt = _client.TimeProvider.GetTimestamp();
                job = await _client.SubmitAsync(tasks, cancellationToken).ConfigureAwait(false);
                resultKey = job.ResultKey;
            }
            catch (Exception) when (submitting.Failure is not null)
            {
                // The record failed as the submit was leaving, and the submit with it, unsent: nothing to resolve. The run
                // throws the record's own exception (its first record failure), not this one that wraps it.
                throw;
            }
            catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled after it may have been sent: the job may exist, so it is recorded without a key and a resumed
                // run does not submit it again. Cancelled before it was sent: it created nothing.
                await (cancelled is TryOnSubmitCanceledException { MayHaveCreatedJob: false }
                    ? NotSubmittedAsync()
                    : SubmittedAsync(null)).ConfigureAwait(false);

                // The run's cancellation, not this batch's: whether this one batch went out says nothing of the others.
                throw new OperationCanceledException("The bulk run was cancelled; batches that may have created a job were reported to OnBatchSubmitted.", cancelled, cancellationToken);
            }
            catch (TryOnSubmitOutcomeUnknownException unknown)
            {
                await SubmittedAsync(unknown.ResultKey).ConfigureAwait(false);
                if (unknown.ResultKey is null)
                {
                    return Each(batch, TryOnBulkStatus.OutcomeUnknown, unknown);
                }

                resultKey = unknown.ResultKey; // the answer named the job: it exists, so it can be waited for
            }
            catch (TryOnImageCheckException local) when (local.TaskIndex >= 0 && local.TaskIndex < batch.InputIndices.Length)
            {
                // A local image refused before anything was sent: that task fails alone, naming its input; the rest go on.
                await NotSubmittedAsync().ConfigureAwait(false);
                return await IsolateAsync(batch, local, records, cancellationToken).ConfigureAwait(false);
            }
            catch (TryOnException refused) when (IsImageRefusal(refused))
            {
                // The service refused an image without saying which, and created nothing: halves are submitted until
                // each refused task stands alone, so one bad image does not sink the good tasks of its batch.
                await NotSubmittedAsync().ConfigureAwait(false);
                return batch.InputIndices.Length > 1
                    ? await SplitAsync(batch, records, cancellationToken).ConfigureAwait(false)
                    : Each(batch, TryOnBulkStatus.Failed, NamingImages(refused, batch.InputIndices[0]));
            }
            catch (TryOnImagePublishException unpublished) when (unpublished.TaskIndex is int at && at >= 0 && at < batch.InputIndices.Length)
            {
                // The host failed one image and nothing was sent: each task of the batch fails, named by its input, and
                // told which input's image it was (its index in the batch means nothing to the caller).
                await NotSubmittedAsync().ConfigureAwait(false);
                var failedInput = batch.InputIndices[at];
                return [.. batch.InputIndices.Select(input => new TryOnBulkOutcome(input, _tasks[input], TryOnBulkStatus.Failed, Error: unpublished.ForInput(input, failedInput)))];
            }
            catch (Exception refused) when (refused is TryOnException or ArgumentException)
            {
                // Throttled after the retries, quota, rejected images, unreachable service, never sent for lack of a
                // rate-limit permit in time…: no job was created, so the batch may be submitted again.
                await NotSubmittedAsync().ConfigureAwait(false);
                return Each(batch, TryOnBulkStatus.Failed, refused);
            }
            catch (Exception unexpected)
            {
                // Not a failure the client classifies: whether the request went out is unknown.
                await SubmittedAsync(null).ConfigureAwait(false);
                return Each(batch, TryOnBulkStatus.OutcomeUnknown, unexpected);
            }

            if (job is not null)
            {
                await SubmittedAsync(resultKey).ConfigureAwait(false);
            }
        }

        try
        {
            var waited = job is not { HasCompleted: true };
            var done = waited
                ? await _client.WaitForCompletionAsync(resultKey!, _wait, cancellationToken).ConfigureAwait(false)
                : job!;
            Finished(done, byWait: waited);
            return FromJob(batch, resultKey!, done, error: null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TryOnWaitTimeoutException timedOut)
        {
            // Tasks that finished before the limit have their outcomes; the others are still going in the service.
            return FromJob(batch, resultKey!, timedOut.LastJob, timedOut);
        }
        catch (TryOnJobFailedException failed) when (failed.Job is not null)
        {
            Finished(failed.Job, byWait: true);
            return FromJob(batch, resultKey!, failed.Job, error: null);
        }
        catch (TryOnInvalidResponseException unusable) when (unusable.Job is { } readable)
        {
            // Some tasks' result links cannot be downloaded: those tasks fail with the reason; the others keep their
            // outcomes (and images) from the job as read.
            Finished(readable, byWait: true);
            return FromJob(batch, resultKey!, readable, unusable, failedPositions: unusable.TaskIndices);
        }
        catch (TryOnJobNotFoundException notKnownYet) when (submittedAt is not null)
        {
            // A job this run created (its submit answered with the key) that the service does not know, past the wait's
            // tolerance: it exists and is billed, and the service may know it later. Its key is kept to wait for it again;
            // "failed" would tell the caller to submit it again and pay twice.
            return FromJob(batch, resultKey!, lastJob: null, notKnownYet);
        }
        catch (TryOnException permanent) when (permanent is TryOnJobNotFoundException or TryOnJobFailedException or TryOnInvalidResponseException { IsRetryable: false })
        {
            // The service does not know an earlier run's job (it expired, or this is another service), says the job as a whole failed (code 23500011, no job to read), or answers
            // about it with something unusable (a result link that is not a URL): waiting again would give the same
            // answer, so its tasks end failed, with the reason.
            return Each(batch, TryOnBulkStatus.Failed, permanent, resultKey);
        }
        catch (Exception waitFailed)
        {
            // The job exists; its outcome is not known yet. Its key lets the caller wait for it again later.
            return FromJob(batch, resultKey!, lastJob: null, waitFailed);
        }

        // A job seen with every task finished: its duration, when this run submitted it, and its tasks, unless the
        // client's wait counted them.
        void Finished(TryOnJob seen, bool byWait)
        {
            if (seen.HasCompleted)
            {
                _client.RecordJobFinished(seen, submittedAt, tasksCounted: byWait);
            }
        }
    }

    /// <summary>The service's refusals of a submit for one of its images (codes 23500005, 23500006, 23500007): nothing was created.</summary>
    private static bool IsImageRefusal(TryOnException refused) =>
        refused is TryOnContentRejectedException or TryOnImageUnreachableException or TryOnInvalidImageException;

    /// <summary>The task a local image check refused fails alone; the others of its batch, if any, are submitted without it.</summary>
    private async Task<TryOnBulkOutcome[]> IsolateAsync(Batch batch, TryOnImageCheckException local, Records records, CancellationToken cancellationToken)
    {
        var input = batch.InputIndices[local.TaskIndex];
        var failed = new TryOnBulkOutcome(input, _tasks[input], TryOnBulkStatus.Failed, Error: Renamed(local, input));
        int[] rest = [.. batch.InputIndices.Where(i => i != input)];
        if (rest.Length == 0)
        {
            return [failed];
        }

        return [failed, .. await RunBatchAsync(new Batch(rest, ResultKey: null, Submitted: false), records, cancellationToken).ConfigureAwait(false)];
    }

    /// <summary>Each half of a refused batch submitted on its own, one after the other (the run's concurrency stays as set).</summary>
    private async Task<TryOnBulkOutcome[]> SplitAsync(Batch batch, Records records, CancellationToken cancellationToken)
    {
        var half = batch.InputIndices.Length / 2;
        var first = await RunBatchAsync(new Batch([.. batch.InputIndices.Take(half)], ResultKey: null, Submitted: false), records, cancellationToken).ConfigureAwait(false);
        var second = await RunBatchAsync(new Batch([.. batch.InputIndices.Skip(half)], ResultKey: null, Submitted: false), records, cancellationToken).ConfigureAwait(false);
        return [.. first, .. second];
    }

    /// <summary>A local check's error, naming the task by its index among the run's inputs rather than in its batch.</summary>
    private static TryOnImageCheckException Renamed(TryOnImageCheckException local, int input) =>
        new(input, local.Slot, local.ImageName, local.Problem, local.Detail, "tasks", local.InnerException);

    /// <summary>
    /// The service's refusal of a lone task, naming the task and its images: the service does not say which of them it
    /// refused. The same type, details and code, with the service's own exception inside.
    /// </summary>
    private TryOnException NamingImages(TryOnException refused, int input)
    {
        var task = _tasks[input];
        var names = string.Join(", ", new[] { task.ModelImage, task.Upper?.Image, task.Lower?.Image, task.FullBody?.Image }
            .Where(static image => image is not null)
            .Select(static image => image!.DisplayName)
            .Distinct(StringComparer.Ordinal));
        var message = $"tasks[{input}]: the service refused one of this task's images ({names}): {refused.Message}";
        return refused switch
        {
            TryOnContentRejectedException => new TryOnContentRejectedException(message, refused.Details, refused),
            TryOnImageUnreachableException => new TryOnImageUnreachableException(message, refused.Details, refused),
            _ => new TryOnInvalidImageException(message, refused.Details, refused),
        };
    }

    /// <summary>
    /// The caller's records of one run (<see cref="TryOnBulkOptions.OnBatchSubmitting"/>,
    /// <see cref="TryOnBulkOptions.OnBatchSubmitted"/>, <see cref="TryOnBulkOptions.OnBatchNotSubmitted"/>): one call at
    /// a time across the three, and the first exception one threw, which the run throws whatever else ends it.
    /// </summary>
    private sealed class Records : IDisposable
    {
        private readonly SemaphoreSlim _one = new(1, 1);
        private Exception? _firstFailure;

        /// <summary>The first exception a record threw in this run, if one did.</summary>
        public Exception? FirstFailure => Volatile.Read(ref _firstFailure);

        /// <summary>
        /// Hands a batch to <paramref name="record"/>. Not cancellable: once a job may exist, its record must be written
        /// whatever happens to the run (cancelled, or left by its consumer), or a resumed run would submit, and bill, it
        /// again. Rethrows what the record throws, after keeping it if it is the run's first.
        /// </summary>
        public async Task ReportAsync(Func<TryOnBulkBatch, CancellationToken, Task>? record, TryOnBulkBatch batch)
        {
            if (record is not { } callback)
            {
                return;
            }

            await _one.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await callback(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                // Whatever it is, a cancellation of its own included (a store's HttpClient timing out): the batch may be unrecorded.
                Interlocked.CompareExchange(ref _firstFailure, failure, null);
                throw;
            }
            finally
            {
                _one.Release();
            }
        }

        public void Dispose() => _one.Dispose();
    }

    /// <summary>
    /// The outcome of each task of a batch from its job: final where the task finished, unknown otherwise, and failed
    /// with <paramref name="error"/> at <paramref name="failedPositions"/>.
    /// </summary>
    private TryOnBulkOutcome[] FromJob(Batch batch, string resultKey, TryOnJob? lastJob, Exception? error, IReadOnlyList<int>? failedPositions = null)
    {
        var outcomes = new TryOnBulkOutcome[batch.InputIndices.Length];
        for (var position = 0; position < outcomes.Length; position++)
        {
            var input = batch.InputIndices[position];
            var result = lastJob?.TaskAt(position);
            outcomes[position] = result switch
            {
                _ when failedPositions?.Contains(position) == true => new TryOnBulkOutcome(input, _tasks[input], TryOnBulkStatus.Failed, resultKey, position, result, error),
                { Succeeded: true } => new TryOnBulkOutcome(input, _tasks[input], TryOnBulkStatus.Succeeded, resultKey, position, result),
                { Failed: true } => new TryOnBulkOutcome(input, _tasks[input], TryOnBulkStatus.Failed, resultKey, position, result, new TryOnJobFailedException(
                    $"Task {position} of try-on job '{resultKey}' ended FAILED.")
                {
                    Job = lastJob,
                }),
                _ => new TryOnBulkOutcome(input, _tasks[input], TryOnBulkStatus.OutcomeUnknown, resultKey, position, result, error ?? new TryOnException(
                    $"Try-on job '{resultKey}' completed without a task {position}; the outcome of that task is not known.")),
            };
        }

        return outcomes;
    }

    /// <summary>
    /// The same outcome for every task of a batch: refused, its submit's outcome unknown (no job to name), or its job
    /// unusable (named by <paramref name="resultKey"/>).
    /// </summary>
    private TryOnBulkOutcome[] Each(Batch batch, TryOnBulkStatus status, Exception error, string? resultKey = null) =>
        [.. batch.InputIndices.Select((input, position) => new TryOnBulkOutcome(input, _tasks[input], status, resultKey, resultKey is null ? null : position, Error: error))];

    private TryOnTask[] Tasks(Batch batch) => [.. batch.InputIndices.Select(input => _tasks[input])];

    /// <summary>A batch to run: its inputs in job order, and, when an earlier run submitted it, the job it made.</summary>
    private sealed record Batch(int[] InputIndices, string? ResultKey, bool Submitted)
    {
        /// <summary>An earlier run's record of the images published for the batch's job (<see cref="TryOnBulkBatch.ImageKeys"/>).</summary>
        public IReadOnlyList<string> ImageKeys { get; init; } = [];

        /// <summary>The batch as <see cref="TryOnBulkOptions.OnBatchSubmitted"/> reports it, with the job it made if known.</summary>
        public TryOnBulkBatch Record(string? resultKey) => new(resultKey, Array.AsReadOnly(InputIndices));
    }
}
