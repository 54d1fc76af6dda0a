using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Client;
using AliTryOn.Polling;

namespace AliTryOn;

/// <summary>
/// A try-on job as a long-running operation, in the manner of Azure's <c>Operation&lt;T&gt;</c>: its id
/// (<see cref="ResultKey"/>), the latest snapshot seen (<see cref="Job"/>), whether it has completed, one query to
/// update it (<see cref="UpdateStatusAsync"/>) and a wait for completion (<see cref="WaitForCompletionAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// Get one from <see cref="TryOnClient.SubmitOperationAsync(System.Collections.Generic.IEnumerable{TryOnTask}, CancellationToken)"/>,
/// or rebuild one from a result key kept earlier, in this process or another one, with
/// <see cref="TryOnJobOperation(TryOnClient, string)"/>. It holds no connection of its own: every query goes through
/// the client's <see cref="TryOnClient.QueryAsync"/> and <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, CancellationToken)"/>,
/// with their retries, rate limits, logs, traces and metrics, and the deletion of images the client published for the
/// job once a query sees it finished. A job that ends with some tasks <c>FAILED</c> has completed: its
/// <see cref="Job"/> reports them (<see cref="TryOnJob.FailedTasks"/>), as the client's waits do.
/// </para>
/// <para>
/// Thread-safe: its members may be used from several threads at once. Each call of <see cref="UpdateStatusAsync"/> or
/// <see cref="WaitForCompletionAsync"/> makes its own queries (concurrent calls are not merged into one); the snapshot
/// is replaced whole by the latest answer, except that a snapshot of a job still running never replaces a completed
/// one, so <see cref="HasCompleted"/>, once <see langword="true"/>, stays so.
/// </para>
/// <para>
/// Every public member is <see langword="virtual"/> and the <see langword="protected"/> constructor takes nothing, so an
/// operation can be mocked like the client. Compared with Azure's operations: the id is the <see cref="ResultKey"/>, the
/// value is <see cref="Job"/> once <see cref="HasCompleted"/>, and there is no raw response (a snapshot carries the
/// service's <see cref="TryOnJob.RequestId"/>).
/// </para>
/// </remarks>
public class TryOnJobOperation
{
    private readonly TryOnClient? _client;
    private readonly string? _resultKey;

    /// <summary>When the client submitted the job (a timestamp of its clock), for the job-duration metric; <see langword="null"/> when rebuilt.</summary>
    private readonly long? _submittedAt;

    /// <summary>How many tasks the client submitted for the job; <see langword="null"/> when rebuilt from its key.</summary>
    private readonly int? _submittedTasks;

    /// <summary>Guards the snapshot's replacement and the one recording of the job's finish.</summary>
    private readonly object _gate = new();

    private TryOnJob? _job;

    /// <summary>Whether a snapshot showed the job completed: its duration and tasks are recorded once per operation.</summary>
    private bool _completionSeen;

    /// <summary>
    /// Creates an operation with no client, for mocking: <see cref="ResultKey"/> and the methods throw unless overridden,
    /// and <see cref="Job"/> is <see langword="null"/>.
    /// </summary>
    protected TryOnJobOperation()
    {
    }

    /// <summary>
    /// Rebuilds the operation of a job submitted earlier, by this process or another one, from its result key alone.
    /// Nothing is sent: <see cref="Job"/> is <see langword="null"/> and <see cref="HasCompleted"/> is
    /// <see langword="false"/> until a query answers.
    /// </summary>
    /// <param name="client">The client to query through; any client of the AppCode that submitted the job.</param>
    /// <param name="resultKey">The job's result key (<see cref="TryOnJob.ResultKey"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="resultKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultKey"/> is empty or whitespace.</exception>
    public TryOnJobOperation(TryOnClient client, string resultKey)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        TryOnRequestValidator.ValidateResultKey(resultKey, nameof(resultKey));
        _resultKey = resultKey;
    }

    /// <summary>The operation of a job just submitted through <paramref name="client"/>, its answer the first snapshot.</summary>
    internal TryOnJobOperation(TryOnClient client, TryOnJob submitted, long submittedAt, int submittedTasks)
    {
        _client = client;
        _resultKey = submitted.ResultKey;
        _submittedAt = submittedAt;
        _submittedTasks = submittedTasks;
        Observe(submitted, byWait: false);
    }

    /// <summary>The job's id, its result key: keep it to rebuild the operation later with <see cref="TryOnJobOperation(TryOnClient, string)"/>.</summary>
    /// <exception cref="InvalidOperationException">A mock created with the protected constructor does not override it.</exception>
    public virtual string ResultKey => _resultKey ?? throw NotConnected();

    /// <summary>
    /// The latest snapshot of the job: the last query's answer (during a wait, the last whose task statuses changed), or
    /// the submit's before any query; <see langword="null"/>
    /// for an operation rebuilt from a result key until a query answers. Once <see cref="HasCompleted"/>, the completed
    /// job, with each task's outcome and result links.
    /// </summary>
    public virtual TryOnJob? Job => Volatile.Read(ref _job);

    /// <summary>
    /// Whether the latest snapshot shows every task finished (<see cref="TryOnTaskStatus.Succeeded"/> or
    /// <see cref="TryOnTaskStatus.Failed"/>). Updated only by <see cref="UpdateStatusAsync"/> and <see cref="WaitForCompletionAsync"/>.
    /// </summary>
    public virtual bool HasCompleted => Job?.HasCompleted == true;

    /// <summary>
    /// Queries the job once and makes the answer the latest snapshot. It queries even once the job has completed, since
    /// a fresh snapshot carries fresh result links (they expire). Queries are not billed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the query; the snapshot is then left as it was.</param>
    /// <returns>The job's current snapshot, also <see cref="Job"/> from now on.</returns>
    /// <exception cref="TryOnJobNotFoundException">The service knows no job with this key.</exception>
    /// <exception cref="TryOnInvalidResponseException">The answer has result links that cannot be downloaded; its <see cref="TryOnInvalidResponseException.Job"/> (the job as read, every task with its usable links) is then the snapshot all the same.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with another error; it carries <see cref="TryOnException.ResultKey"/>.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">A mock created with the protected constructor does not override it.</exception>
    public virtual async Task<TryOnJob> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        var client = Client;
        var resultKey = ResultKey;
        TryOnJob job;
        try
        {
            job = await client.QueryAsync(resultKey, cancellationToken).ConfigureAwait(false);
        }
        catch (TryOnException error)
        {
            // The error names its job whoever raised it, as a wait's does (a client that overrides QueryAsync included).
            error.SetResultKey(resultKey);
            ObserveFrom(error, byWait: false);
            throw;
        }

        Observe(job, byWait: false);
        return job;
    }

    /// <summary>
    /// Waits until every task of the job has finished, polling through the client with its schedule
    /// (<see cref="TryOnPollingOptions"/>) as <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, CancellationToken)"/>
    /// does. Returns at once, without a query, when the operation has already completed (or throws at once, when it
    /// completed with failed tasks and <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is set).
    /// </summary>
    /// <remarks>
    /// <see cref="Job"/> follows the wait: each snapshot whose task statuses changed becomes the latest as the wait sees
    /// it, so another thread reading <see cref="Job"/> sees progress, and a wait that ends in an error (a cancellation,
    /// a job the service no longer knows, links it cannot use) leaves the last one seen. For this the client's
    /// <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, CancellationToken)"/> is given a copy of
    /// <paramref name="options"/> (never <see langword="null"/>) whose <see cref="TryOnWaitOptions.Progress"/> updates
    /// the operation and then reports to yours: a test double of the client should accept any options.
    /// </remarks>
    /// <param name="options">Time limit, progress reports and failure handling for this wait; <see langword="null"/> for the client's defaults.</param>
    /// <param name="cancellationToken">Cancels the wait promptly, also between queries. The job itself goes on, and the operation can wait again.</param>
    /// <returns>
    /// The completed job, also <see cref="Job"/> from now on. Tasks that failed are reported in it (see
    /// <see cref="TryOnJob.FailedTasks"/>) rather than thrown; set <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> to throw instead.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnWaitOptions.Timeout"/> is zero or negative, or <see cref="TryOnWaitOptions.MaxConsecutiveFailedQueries"/> is outside 0 to 100.</exception>
    /// <exception cref="TryOnWaitTimeoutException">The time limit passed first; <see cref="Job"/> is then its last snapshot, and the operation can wait again.</exception>
    /// <exception cref="TryOnJobFailedException">
    /// Some task failed and <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is set; <see cref="Job"/> is then the
    /// completed job. Also, whatever the options, when the service answers that the job failed as a whole (code
    /// <c>23500011</c>): the exception's <see cref="TryOnJobFailedException.Job"/> is then <see langword="null"/> (the
    /// answer carries none), <see cref="Job"/> stays the last snapshot, and waiting again gets the same answer.
    /// </exception>
    /// <exception cref="TryOnException">
    /// A query failed with an error that does not pass (<see cref="TryOnJobNotFoundException"/>, an authentication error…),
    /// or failed more times in a row than <see cref="TryOnPollingOptions.MaxConsecutiveFailedQueries"/> tolerates. It
    /// carries <see cref="TryOnException.ResultKey"/>.
    /// </exception>
    /// <exception cref="TryOnInvalidResponseException">
    /// Every task finished, but some result links cannot be downloaded; its <see cref="TryOnInvalidResponseException.Job"/>
    /// (the job as read) is then the snapshot, and the operation has completed. Also when the job completed with fewer
    /// tasks than this operation's submit sent (the others have no outcome); not checked for an operation rebuilt from
    /// its key, which does not know how many were sent.
    /// </exception>
    /// <exception cref="TryOnTimeoutException">The last query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">A mock created with the protected constructor does not override it.</exception>
    public virtual async Task<TryOnJob> WaitForCompletionAsync(TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var client = Client;
        TryOnJobPoller.Validate(options, nameof(options));

        // Completed: no query, whatever the options; failed tasks a caller wants thrown are thrown from the snapshot.
        if (Job is { HasCompleted: true } done)
        {
            Whole(done);
            return options?.ThrowOnFailedTasks == true && done.HasFailures ? throw TryOnJobPoller.FailedTasks(ResultKey, done) : done;
        }

        // The wait's progress also moves the snapshot, so Job is the latest seen while it waits and however it ends.
        var observed = (options ?? new TryOnWaitOptions()) with { Progress = new ObservingProgress(this, options?.Progress) };
        try
        {
            var job = await client.WaitForCompletionAsync(ResultKey, observed, cancellationToken).ConfigureAwait(false);
            Observe(job, byWait: true);
            return Whole(job);
        }
        catch (TryOnException error)
        {
            // Also for a client whose overridden wait reports no progress, or names no job.
            error.SetResultKey(ResultKey);
            ObserveFrom(error, byWait: true);
            if (error is TryOnJobFailedException { Job: { } failed })
            {
                Whole(failed); // tasks missing matter more than the failed ones it names
            }

            throw;
        }
        catch (Exception) when (Job is { HasCompleted: true } seen)
        {
            // The caller's progress threw on the completed snapshot, before the wait could record it: recorded here.
            Observe(seen, byWait: false);
            throw;
        }
    }

    private TryOnClient Client => _client ?? throw NotConnected();

    /// <summary>
    /// <paramref name="job"/>, completed, unless the service answered fewer tasks than were submitted: those tasks have
    /// no outcome, and "completed" would drop them without a word.
    /// </summary>
    /// <exception cref="TryOnInvalidResponseException">Tasks are missing; it carries the job as read and its key.</exception>
    private TryOnJob Whole(TryOnJob job)
    {
        // By index, as a bulk run matches its tasks: a task answered twice does not stand for one answered not at all.
        int[] missing = _submittedTasks is int submitted ? [.. Enumerable.Range(0, submitted).Where(i => job.TaskAt(i) is null)] : [];
        return missing.Length == 0
            ? job
            : throw new TryOnInvalidResponseException($"Try-on job '{ResultKey}' completed without {(missing.Length == 1 ? "task" : "tasks")} {string.Join(", ", missing)} of the {_submittedTasks} submitted: the service answered nothing of {(missing.Length == 1 ? "it" : "them")}, whose outcome is not known.")
            {
                ResultKey = ResultKey,
                Job = job,
            };
    }

    /// <summary>Reports each snapshot of a wait to the operation first, then to the caller's progress.</summary>
    private sealed class ObservingProgress(TryOnJobOperation operation, IProgress<TryOnJob>? inner) : IProgress<TryOnJob>
    {
        public void Report(TryOnJob value)
        {
            // The snapshot only: the job's finish is recorded once the wait has ended (its tasks counted by the wait).
            operation.Observe(value, byWait: null);
            inner?.Report(value);
        }
    }

    private static InvalidOperationException NotConnected() =>
        new("This TryOnJobOperation was created with the protected constructor for mocking; override the member you use.");

    /// <summary>
    /// Makes the job an error carries the latest snapshot: a wait's last (<see cref="TryOnWaitTimeoutException.LastJob"/>),
    /// a completed job with failed tasks, or a job read with links it cannot use.
    /// </summary>
    private void ObserveFrom(TryOnException error, bool byWait)
    {
        if (error switch
        {
            TryOnWaitTimeoutException timedOut => timedOut.LastJob,
            TryOnJobFailedException failed => failed.Job,
            TryOnInvalidResponseException unusable => unusable.Job,
            _ => null,
        } is { } seen)
        {
            Observe(seen, byWait);
        }
    }

    /// <summary>
    /// Makes <paramref name="job"/> the latest snapshot, unless it would take a completed job back to running. The first
    /// completed one recorded records the job's finish: its duration (known when this operation submitted it) and,
    /// unless a wait counted them (<paramref name="byWait"/> true), its tasks. A snapshot a wait reports as it goes
    /// (<paramref name="byWait"/> <see langword="null"/>) records nothing: the wait has not ended yet.
    /// </summary>
    private void Observe(TryOnJob job, bool? byWait)
    {
        bool finished;
        lock (_gate)
        {
            if (_job is not { HasCompleted: true } || job.HasCompleted)
            {
                Volatile.Write(ref _job, job);
            }

            finished = byWait is not null && job.HasCompleted && !_completionSeen;
            _completionSeen |= finished;
        }

        if (finished)
        {
            _client!.RecordJobFinished(job, _submittedAt, tasksCounted: byWait == true);
        }
    }
}
