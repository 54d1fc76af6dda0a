using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Bulk;
using AliTryOn.Client;
using AliTryOn.Diagnostics;
using AliTryOn.Downloads;
using AliTryOn.Http;
using AliTryOn.Images;
using AliTryOn.Polling;
using AliTryOn.Serialization;
using Microsoft.Extensions.Logging;

namespace AliTryOn;

/// <summary>
/// Client for the virtual try-on API v2: submit jobs of 1 to 10 try-on tasks, query them, wait for them to finish,
/// download their result images, and run any number of tasks in bulk.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe and meant to be long-lived: create one per AppCode and reuse it, or register it with
/// <c>services.AddTryOnClient()</c>. Every submitted job is billed to the AppCode.
/// </para>
/// <para>
/// Every public method is <see langword="virtual"/> and the <see langword="protected"/> constructor takes nothing, so the
/// client can be mocked; the models are records with public constructors, so tests can build any response.
/// </para>
/// </remarks>
public class TryOnClient
{
    /// <summary>The operations' paths, relative to the endpoint (which the options' check refuses to end with either).</summary>
    internal const string SubmitPath = "api/v2/tryon/submit";
    internal const string QueryPath = "api/v2/tryon/query";
    private const string JsonMediaType = "application/json";

    private readonly ClientConnection? _connection;
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly TryOnJobPoller? _poller;
    private readonly TryOnTelemetry? _telemetry;
    private readonly ResultDownloader? _downloader;
    private readonly ImagePublisher? _images;

    /// <summary>Creates a client with no connection, for mocking. Its methods throw unless overridden.</summary>
    protected TryOnClient()
    {
    }

    /// <summary>Creates a client that owns its connection to <see cref="TryOnClientOptions.Endpoint"/>.</summary>
    /// <param name="options">The settings; copied, so later changes to the object do not affect the client.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    public TryOnClient(TryOnClientOptions options)
        : this(options, transport: null)
    {
    }

    /// <summary>
    /// Creates a client that sends through <paramref name="transport"/>, with authentication added in front of it.
    /// Use it to supply a proxy-configured handler, or a test double of the service.
    /// </summary>
    /// <param name="options">The settings; copied, so later changes to the object do not affect the client.</param>
    /// <param name="transport">
    /// The innermost handler, or <see langword="null"/> for a pooled transport that does not follow redirects.
    /// Turn off automatic redirects on a handler you pass: the AppCode must not follow a redirect to another host.
    /// Result downloads go through it too, in a chain of their own without authentication.
    /// </param>
    /// <param name="timeProvider">The clock for time limits and polling; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the client logs (category <c>AliTryOn</c>); <see langword="null"/> for no logs. Traces and metrics (<c>AliTryOn</c>) need no setting.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    public TryOnClient(TryOnClientOptions options, HttpMessageHandler? transport, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(options, transport, timeProvider, new TryOnTelemetry(loggerFactory, meterFactory: null))
    {
    }

    /// <summary>
    /// Creates a client that sends through an <see cref="HttpClient"/> you built. Its handler chain must include a
    /// <see cref="TryOnAuthenticationHandler"/>, or a <see cref="TryOnSignatureHandler"/> for the AppKey/AppSecret mode
    /// (inside any retry handler), and it then has none of the client's own
    /// retries, timeouts or rate limits: those come with the other constructors and with <c>AddTryOnClient</c>.
    /// Its <see cref="HttpClient.BaseAddress"/> is ignored in favour of <see cref="TryOnClientOptions.Endpoint"/>.
    /// </summary>
    /// <remarks>
    /// Result downloads never go through <paramref name="httpClient"/>, which carries credentials: the client downloads
    /// with an <see cref="HttpClient"/> of its own (no authentication; the options' time limits and retries).
    /// </remarks>
    /// <param name="httpClient">The client to send with; not disposed by this client.</param>
    /// <param name="options">The settings; copied, so later changes to the object do not affect the client.</param>
    /// <param name="timeProvider">The clock for time limits and polling; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the client logs (category <c>AliTryOn</c>); <see langword="null"/> for no logs.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    public TryOnClient(HttpClient httpClient, TryOnClientOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(httpClient, Validated(options), timeProvider, new TryOnTelemetry(loggerFactory, meterFactory: null))
    {
    }

    /// <summary>
    /// A client that owns its handler chains, reporting to <paramref name="telemetry"/>: one for the service, and one for
    /// downloads, without authentication, over the same transport.
    /// </summary>
    private TryOnClient(TryOnClientOptions options, HttpMessageHandler? transport, TimeProvider? timeProvider, TryOnTelemetry telemetry)
        : this(
            TryOnHttpPipeline.CreateHttpClient(Validated(options), transport, timeProvider ?? TimeProvider.System, telemetry),
            options,
            timeProvider,
            telemetry,
            TryOnHttpPipeline.CreateDownloadHttpClient(options, transport, timeProvider ?? TimeProvider.System, telemetry),
            hasTracker: true)
    {
    }

    /// <summary>
    /// The constructor the others and dependency injection share; <paramref name="options"/> are valid. Result downloads
    /// go through <paramref name="downloadHttpClient"/>, with no authentication in its chain, or, when it is
    /// <see langword="null"/>, through a client of this client's own over a new transport.
    /// <paramref name="hasTracker"/>: whether the chain of <paramref name="httpClient"/> ends in a <see cref="TransportTracker"/> (the client's own
    /// chains and <c>AddTryOnClient</c>'s do).
    /// </summary>
    internal TryOnClient(HttpClient httpClient, TryOnClientOptions options, TimeProvider? timeProvider, TryOnTelemetry telemetry, HttpClient? downloadHttpClient = null, TryOnImageHost? imageHost = null, ImageCleanups? imageCleanups = null, bool hasTracker = false)
    {
        _telemetry = telemetry;
        var endpoint = options.Endpoint!;
        var baseUri = endpoint.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _connection = new ClientConnection(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            new Uri(baseUri, SubmitPath),
            new Uri(baseUri, QueryPath),
            hasTracker);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _poller = new TryOnJobPoller(new PollingSchedule(options.Polling), _timeProvider, telemetry);
        _downloader = new ResultDownloader(
            downloadHttpClient ?? TryOnHttpPipeline.CreateDownloadHttpClient(options, transport: null, _timeProvider, telemetry),
            _timeProvider,
            telemetry);
        _images = new ImagePublisher(
            options.ImageHost ?? imageHost,
            options.Images ?? new TryOnImageOptions(),
            _timeProvider,
            _downloader,
            imageCleanups ?? new ImageCleanups(),
            telemetry.Logger);
    }

    /// <summary>Submits a job of one task. The job is billed to the AppCode.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">
    /// Cancels the call (an <see cref="OperationCanceledException"/>). A call cancelled after it was sent may still have created a job.
    /// </param>
    /// <returns>The created job, with its result key and each task's initial status (usually <c>WAITING</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    /// <exception cref="TryOnInvalidTaskException">The task is unusable (a missing URL, no garment, a relative or non-http URL, an undefined enum value); the message and <see cref="TryOnInvalidTaskException.Field"/> name the field; nothing was sent.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with an error; the subtype names the family.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx ("the job failed", 23500011, included), a success it could not read, or an error it cannot classify on a success status: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> SubmitAsync(TryOnTask task, CancellationToken cancellationToken = default)
    {
        // An array, which validation takes as it is; a collection expression typed as IEnumerable would be copied.
        TryOnTask[] tasks = [task ?? throw new ArgumentNullException(nameof(task))];
        return SubmitAsync(tasks, cancellationToken);
    }

    /// <summary>Submits a job of 1 to 10 tasks in one call. The job is billed to the AppCode.</summary>
    /// <param name="tasks">The tasks, at most 10. Each is checked before anything is sent.</param>
    /// <param name="cancellationToken">
    /// Cancels the call (an <see cref="OperationCanceledException"/>). A call cancelled after it was sent may still have created a job.
    /// </param>
    /// <returns>The created job, with its result key and each task's initial status, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="TryOnInvalidTaskException">No task, more than 10, or a task is unusable (null, a missing URL, no garment, a relative or non-http URL, an undefined enum value); the message and <see cref="TryOnInvalidTaskException.Field"/> name the field (<c>tasks[2].upper.image</c>); nothing was sent.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with an error; the subtype names the family.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx ("the job failed", 23500011, included), a success it could not read, or an error it cannot classify on a success status: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
    {
        var checkedTasks = TryOnRequestValidator.ValidateTasks(tasks, nameof(tasks));
        return Images.HasWork(checkedTasks)
            ? SubmitWithImagesAsync(checkedTasks, cancellationToken)
            : SubmitCheckedAsync(checkedTasks, checkedTasks, cancellationToken);
    }

    /// <summary>Tasks with local images (or URL checks on): images checked and published, the job submitted, cleanup arranged.</summary>
    private async Task<TryOnJob> SubmitWithImagesAsync(TryOnTask[] tasks, CancellationToken cancellationToken)
    {
        var prepared = await Images.PrepareAsync(tasks, nameof(tasks), cancellationToken).ConfigureAwait(false);
        TryOnJob job;
        try
        {
            job = await SubmitCheckedAsync(prepared.Tasks, tasks, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            await Images.SubmitFailedAsync(prepared.Published, failure).ConfigureAwait(false);
            throw;
        }

        // Not the caller's token: the job exists, and a cancellation now must not read as a failed submit.
        await Images.SubmittedAsync(prepared.Published, job, CancellationToken.None).ConfigureAwait(false);
        return job;
    }

    /// <summary>Sends checked tasks whose images are all URLs; <paramref name="given"/> are the tasks as the caller gave them, for errors.</summary>
    private Task<TryOnJob> SubmitCheckedAsync(TryOnTask[] checkedTasks, TryOnTask[] given, CancellationToken cancellationToken)
    {
        var wireTasks = new WireTaskInput[checkedTasks.Length];
        var logTasks = _telemetry?.Logger.IsEnabled(LogLevel.Debug) == true;
        for (var i = 0; i < checkedTasks.Length; i++)
        {
            var task = checkedTasks[i];
            wireTasks[i] = ToWire(task);
            if (logTasks)
            {
                // Without query strings or user information: a presigned image link is a credential to that image.
                Log.SubmittingTask(_telemetry!.Logger, i, UrlDisplay.Safe(UrlOf(task.ModelImage))!, UrlDisplay.Safe(UrlOf(task.Upper?.Image)), UrlDisplay.Safe(UrlOf(task.Lower?.Image)), UrlDisplay.Safe(UrlOf(task.FullBody?.Image)), task.InferenceMode);
            }
        }

        return SendAsync(TryOnOperation.Submit, Connection.SubmitUri, new WireRequest { Data = new WireRequestData { TaskList = wireTasks } }, given, cancellationToken);
    }

    /// <summary>
    /// Checks every image of <paramref name="tasks"/> as a submit would, and more, without publishing, sending or billing
    /// anything: local images are read and checked against the service's input rules, and URL images are fetched in part
    /// (a ranged <c>GET</c> of their first 64 KiB, with no credential) and checked for reachability, type and size, whatever
    /// <see cref="TryOnImageOptions.CheckUrls"/> says. An image used several times is read or fetched once.
    /// </summary>
    /// <param name="tasks">The tasks, in any number (a whole catalog run's).</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>Every problem found, one per image slot, in task order; empty when all images pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="TryOnInvalidTaskException">A task is unusable for another reason (null, no garment, a relative URL…).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<IReadOnlyList<TryOnImageCheckException>> CheckImagesAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
    {
        var checkedTasks = TryOnRequestValidator.ValidateEach(tasks, nameof(tasks));
        return Images.CheckAllAsync(checkedTasks, nameof(tasks), cancellationToken);
    }

    /// <summary>Queries a job's current state. Queries are not billed.</summary>
    /// <param name="resultKey">The job's result key, from <see cref="SubmitAsync(IEnumerable{TryOnTask}, CancellationToken)"/> or kept from earlier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's current snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resultKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultKey"/> is empty or whitespace; nothing was sent.</exception>
    /// <exception cref="TryOnJobNotFoundException">The service knows no job with that key.</exception>
    /// <exception cref="TryOnInvalidResponseException">The answer could not be read, or it is for another job than <paramref name="resultKey"/> (a cache or proxy that mixed answers up).</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with another error.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> QueryAsync(string resultKey, CancellationToken cancellationToken = default)
    {
        TryOnRequestValidator.ValidateResultKey(resultKey, nameof(resultKey));
        return SendAsync(TryOnOperation.Query, Connection.QueryUri, new WireRequest { Data = new WireRequestData { ResultKey = resultKey } }, tasks: null, cancellationToken);
    }

    /// <summary>
    /// Polls a job until every task has finished, with growing, jittered delays (see <see cref="TryOnPollingOptions"/>).
    /// Works from a bare result key, so a job submitted earlier or by another process can be waited for.
    /// </summary>
    /// <param name="resultKey">The job's result key.</param>
    /// <param name="options">Time limit, progress reports and failure handling for this wait; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the wait promptly, also between queries. The job itself goes on.</param>
    /// <returns>
    /// The completed job. Tasks that failed are reported in it (see <see cref="TryOnJob.FailedTasks"/>) rather than
    /// thrown, so the successful tasks' images are not lost; set <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> to throw instead.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="resultKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultKey"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnWaitOptions.Timeout"/> is zero or negative, or <see cref="TryOnWaitOptions.MaxConsecutiveFailedQueries"/> is outside 0 to 100.</exception>
    /// <exception cref="TryOnWaitTimeoutException">The time limit passed first; it carries the result key and the last snapshot.</exception>
    /// <exception cref="TryOnJobFailedException">Some task failed and <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is set; it carries the job.</exception>
    /// <exception cref="TryOnException">
    /// A query failed with an error that does not pass (<see cref="TryOnJobNotFoundException"/>, an authentication error…),
    /// or failed more times in a row than <see cref="TryOnPollingOptions.MaxConsecutiveFailedQueries"/> tolerates (3 by
    /// default; each query makes its own retries first). The error carries <see cref="TryOnException.ResultKey"/>.
    /// </exception>
    /// <exception cref="TryOnTimeoutException">The last query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        TryOnRequestValidator.ValidateResultKey(resultKey, nameof(resultKey));
        return Poller.WaitAsync(resultKey, QueryAsync, options, cancellationToken);
    }

    /// <summary>Submits a job of one task and waits for it to finish. The job is billed to the AppCode.</summary>
    /// <param name="task">The task.</param>
    /// <param name="options">Settings of the wait; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call; a job already submitted goes on.</param>
    /// <returns>The completed job.</returns>
    /// <exception cref="ArgumentException">The wait settings are out of range (<see cref="ArgumentOutOfRangeException"/>), or the task is unusable (<see cref="TryOnInvalidTaskException"/>); nothing was sent.</exception>
    /// <exception cref="TryOnWaitTimeoutException">The wait's time limit passed; it carries the result key to resume with.</exception>
    /// <exception cref="TryOnJobFailedException">
    /// Some task failed and <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is set; it carries the job. A submit answered
    /// already final is not queried again: the error is thrown from its answer.
    /// </exception>
    /// <exception cref="TryOnException">The submit or the wait failed. Once the submit succeeded, every error of the wait carries the job's <see cref="TryOnException.ResultKey"/> (a cancellation logs it instead).</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx ("the job failed", 23500011, included), a success it could not read, or an error it cannot classify on a success status: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> SubmitAndWaitAsync(TryOnTask task, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
        SubmitAndWaitAsync([task ?? throw new ArgumentNullException(nameof(task))], options, cancellationToken);

    /// <summary>Submits a job of 1 to 10 tasks and waits for it to finish. The job is billed to the AppCode.</summary>
    /// <remarks>
    /// The wait is the job's operation's (<see cref="TryOnJobOperation.WaitForCompletionAsync"/>): it calls this client's
    /// <see cref="WaitForCompletionAsync(string, TryOnWaitOptions?, CancellationToken)"/> with a copy of
    /// <paramref name="options"/> (never <see langword="null"/>) whose progress reports to yours, so a partial mock of
    /// that method should accept any options.
    /// </remarks>
    /// <param name="tasks">The tasks, at most 10.</param>
    /// <param name="options">Settings of the wait; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call; a job already submitted goes on.</param>
    /// <returns>The completed job.</returns>
    /// <exception cref="ArgumentException">The wait settings are out of range (<see cref="ArgumentOutOfRangeException"/>), or the tasks are unusable (<see cref="TryOnInvalidTaskException"/>); nothing was sent.</exception>
    /// <exception cref="TryOnWaitTimeoutException">The wait's time limit passed; it carries the result key to resume with.</exception>
    /// <exception cref="TryOnJobFailedException">
    /// Some task failed and <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is set; it carries the job. A submit answered
    /// already final is not queried again: the error is thrown from its answer.
    /// </exception>
    /// <exception cref="TryOnException">The submit or the wait failed. Once the submit succeeded, every error of the wait carries the job's <see cref="TryOnException.ResultKey"/> (a cancellation logs it instead).</exception>
    /// <exception cref="TryOnInvalidResponseException">The job completed with fewer tasks than were submitted (the others have no outcome), or with result links that cannot be used; it carries the job as read.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx ("the job failed", 23500011, included), a success it could not read, or an error it cannot classify on a success status: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<TryOnJob> SubmitAndWaitAsync(IEnumerable<TryOnTask> tasks, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Checked before the submit: a bad setting must not fail the call after a job was billed.
        TryOnJobPoller.Validate(options, nameof(options));
        var started = _timeProvider.GetTimestamp();
        var sent = Sent(tasks);
        var submitted = await SubmitAsync(sent!, cancellationToken).ConfigureAwait(false);

        // The job's operation waits: one mechanism records a job's finish once, however the wait ends (a submit answered
        // final is not queried again; the caller's progress throwing on the finished snapshot still records it), and
        // names the job in a wait's error so the caller can wait for it again.
        var operation = new TryOnJobOperation(this, submitted, started, sent!.Count);
        try
        {
            return await operation.WaitForCompletionAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception other) when (other is not TryOnException && _telemetry is { } telemetry)
        {
            // Cancellation, or a failure of the caller's own progress callback: the key goes to the log.
            Log.SubmittedJobNotWaited(telemetry.Logger, submitted.ResultKey, other.GetType().Name, other);
            throw;
        }
    }

    /// <summary>
    /// Submits a job of one task and returns it as an operation to update or wait for. The job is billed to the AppCode.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">
    /// Cancels the submit (an <see cref="OperationCanceledException"/>). A call cancelled after it was sent may still have created a job.
    /// </param>
    /// <returns>The job's operation, with the submit's answer as its first <see cref="TryOnJobOperation.Job"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    /// <exception cref="TryOnInvalidTaskException">The task is unusable; the message and <see cref="TryOnInvalidTaskException.Field"/> name the field; nothing was sent.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with an error; the subtype names the family.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx ("the job failed", 23500011, included), a success it could not read, or an error it cannot classify on a success status: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJobOperation> SubmitOperationAsync(TryOnTask task, CancellationToken cancellationToken = default) =>
        SubmitOperationAsync([task ?? throw new ArgumentNullException(nameof(task))], cancellationToken);

    /// <summary>
    /// Submits a job of 1 to 10 tasks, as <see cref="SubmitAsync(IEnumerable{TryOnTask}, CancellationToken)"/> does, and
    /// returns it as an operation to update or wait for. The job is billed to the AppCode.
    /// </summary>
    /// <remarks>
    /// The operation queries through this client. Keep its <see cref="TryOnJobOperation.ResultKey"/> to rebuild it later,
    /// in this process or another one, with <see cref="TryOnJobOperation(TryOnClient, string)"/>.
    /// </remarks>
    /// <param name="tasks">The tasks, at most 10. Each is checked before anything is sent.</param>
    /// <param name="cancellationToken">
    /// Cancels the submit (an <see cref="OperationCanceledException"/>). A call cancelled after it was sent may still have created a job.
    /// </param>
    /// <returns>The job's operation, with the submit's answer as its first <see cref="TryOnJobOperation.Job"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="TryOnInvalidTaskException">No task, more than 10, or a task is unusable; the message and <see cref="TryOnInvalidTaskException.Field"/> name the field; nothing was sent.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with an error; the subtype names the family.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx ("the job failed", 23500011, included), a success it could not read, or an error it cannot classify on a success status: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<TryOnJobOperation> SubmitOperationAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        var sent = Sent(tasks);
        var submitted = await SubmitAsync(sent!, cancellationToken).ConfigureAwait(false);
        return new TryOnJobOperation(this, submitted, started, sent!.Count);
    }

    /// <summary>
    /// Downloads one result image to <paramref name="destination"/>. Result links are expiring object-storage URLs:
    /// download soon after the job completes.
    /// </summary>
    /// <remarks>
    /// The download never carries the AppCode or any gateway header: it goes through a client of its own, with the
    /// options' time limits (<see cref="TryOnClientOptions.AttemptTimeout"/> covers one attempt, body included) and
    /// retries (a lost connection, a timeout, HTTP 408, 429 and 5xx, honouring <c>Retry-After</c>). It follows up to 5
    /// redirects, never from <c>https</c> to another scheme. <paramref name="destination"/> receives a whole image or
    /// nothing: a destination that is seekable and positioned at its end (a new <see cref="FileStream"/> or
    /// <see cref="MemoryStream"/>) receives the image as it streams, 80 KiB at a time, and is truncated back to where
    /// it was if an attempt is retried, the download fails or is cancelled; any other stream (a network or pipe
    /// stream, or one positioned before its end) receives it only once it is complete, held in memory (up to
    /// <see cref="TryOnDownloadOptions.MaxBytes"/>) until then. Only HTTP 200 (or 203) with a body is an image: HTTP 206
    /// (part of one), 204 and other successes, and an empty body, fail with <see cref="TryOnDownloadException"/>. The
    /// body is not inspected: what the storage host labels <c>image/*</c> is saved as it is. A body with neither a
    /// <c>Content-Length</c> nor chunked framing, which ends when the connection closes, cannot be told from one cut
    /// short; storage hosts send a length.
    /// </remarks>
    /// <param name="resultUrl">The link, from <see cref="TryOnTaskResult.ResultUrls"/>: absolute <c>http</c> or <c>https</c>.</param>
    /// <param name="destination">Where the image is written, from its current position; not disposed.</param>
    /// <param name="options">Size limit and progress; <see langword="null"/> for the defaults (20 MiB, no progress).</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The image's content type and size.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resultUrl"/> or <paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultUrl"/> is not an absolute http(s) URL or carries user information (<c>name:password@</c>), or <paramref name="destination"/> is not writable; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnDownloadOptions.MaxBytes"/> is not from 1 to <see cref="int.MaxValue"/>, or <see cref="TryOnDownloadOptions.MaxConcurrency"/> is not from 1 to <see cref="TryOnDownloadOptions.MaxConcurrencyLimit"/> (64).</exception>
    /// <exception cref="TryOnResultExpiredException">The storage host refused the link (HTTP 401, 403, 410): it has most likely expired.</exception>
    /// <exception cref="TryOnDownloadTooLargeException">The image is larger than <see cref="TryOnDownloadOptions.MaxBytes"/>.</exception>
    /// <exception cref="TryOnUnexpectedContentTypeException">The answer is not an image (<c>image/*</c>).</exception>
    /// <exception cref="TryOnDownloadException">Another failure, such as HTTP 404, a 5xx after the retries, an answer that is not the whole image (HTTP 206, 204) or an empty one.</exception>
    /// <exception cref="TryOnThrottledException">The storage host answered HTTP 429 after the retries.</exception>
    /// <exception cref="TryOnRedirectException">A redirect that cannot be followed safely, or more than 5.</exception>
    /// <exception cref="TryOnTimeoutException">The download did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The storage host could not be reached, or the connection broke, after retries.</exception>
    /// <exception cref="IOException">Writing to <paramref name="destination"/> failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnDownloadedImage> DownloadResultAsync(Uri resultUrl, Stream destination, TryOnDownloadOptions? options = null, CancellationToken cancellationToken = default) =>
        Downloader.ToStreamAsync(resultUrl, destination, options, cancellationToken);

    /// <summary>
    /// Downloads one result image to the file <paramref name="path"/>, whole or not at all: it is streamed to a
    /// temporary file beside it (80 KiB at a time, so memory does not grow with the image; a retried attempt empties
    /// it first) and moved into place once complete, so a failure or a cancellation leaves no partial file (and any
    /// file already at <paramref name="path"/> as it was). An existing file is replaced on success.
    /// </summary>
    /// <remarks>See <see cref="DownloadResultAsync(Uri, Stream, TryOnDownloadOptions?, CancellationToken)"/> for how the download is made.</remarks>
    /// <param name="resultUrl">The link, from <see cref="TryOnTaskResult.ResultUrls"/>: absolute <c>http</c> or <c>https</c>.</param>
    /// <param name="path">The file to write, used as given (its extension is not changed); its folder is created if missing.</param>
    /// <param name="options">Size limit and progress; <see langword="null"/> for the defaults (20 MiB, no progress).</param>
    /// <param name="cancellationToken">Cancels the download; no file is then written.</param>
    /// <returns>The image's content type, size and full path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resultUrl"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultUrl"/> is not an absolute http(s) URL or carries user information, or <paramref name="path"/> is empty, not a valid path, ends with a separator or names an existing folder; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnDownloadOptions.MaxBytes"/> is not from 1 to <see cref="int.MaxValue"/>, or <see cref="TryOnDownloadOptions.MaxConcurrency"/> is not from 1 to <see cref="TryOnDownloadOptions.MaxConcurrencyLimit"/> (64).</exception>
    /// <exception cref="TryOnResultExpiredException">The storage host refused the link (HTTP 401, 403, 410): it has most likely expired.</exception>
    /// <exception cref="TryOnDownloadTooLargeException">The image is larger than <see cref="TryOnDownloadOptions.MaxBytes"/>.</exception>
    /// <exception cref="TryOnUnexpectedContentTypeException">The answer is not an image (<c>image/*</c>).</exception>
    /// <exception cref="TryOnDownloadException">Another failure, such as HTTP 404, a 5xx after the retries, an answer that is not the whole image (HTTP 206, 204) or an empty one.</exception>
    /// <exception cref="TryOnThrottledException">The storage host answered HTTP 429 after the retries.</exception>
    /// <exception cref="TryOnRedirectException">A redirect that cannot be followed safely, or more than 5.</exception>
    /// <exception cref="TryOnTimeoutException">The download did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The storage host could not be reached, or the connection broke, after retries.</exception>
    /// <exception cref="IOException">The file could not be written (for example, a folder of that name exists).</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnDownloadedImage> DownloadResultToFileAsync(Uri resultUrl, string path, TryOnDownloadOptions? options = null, CancellationToken cancellationToken = default) =>
        Downloader.ToFileAsync(resultUrl, path, options, cancellationToken);

    /// <summary>
    /// Downloads every result image of <paramref name="job"/> (its successful tasks' <see cref="TryOnTaskResult.ResultUrls"/>)
    /// into <paramref name="directory"/>, <see cref="TryOnDownloadOptions.MaxConcurrency"/> at once (default 4), each as
    /// <c>{result key}-task{task index}-result{result index}{extension}</c>, the extension from the image's content
    /// type (<c>image/png</c> → <c>.png</c>, <c>image/jpeg</c> → <c>.jpg</c>, <c>image/webp</c> → <c>.webp</c>…).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each image is streamed to a temporary file in <paramref name="directory"/> (80 KiB at a time: memory does not
    /// grow with the image's size) and moved into place once complete, replacing a file of the same name; a failure,
    /// a retried attempt or a cancellation leaves no partial or temporary file.
    /// </para>
    /// <para>
    /// A failed image does not stop the others: every image is attempted, and if any failed the call throws one
    /// <see cref="TryOnDownloadsFailedException"/> that lists each failure (task index, result index, its own typed
    /// exception) and the images saved, whose files stay, complete. Cancellation stops every download at once and
    /// throws <see cref="OperationCanceledException"/>; files completed before it stay.
    /// </para>
    /// <para>
    /// Characters of the result key that are not letters, digits, <c>-</c>, <c>_</c> or <c>.</c> become <c>_</c>; a key
    /// changed so, with capitals, or longer than 100 characters (then shortened), ends with <c>-</c> and 8 hex digits of
    /// its SHA-256, so two keys never share a file name, even on a file system that ignores case. See
    /// <see cref="DownloadResultAsync(Uri, Stream, TryOnDownloadOptions?, CancellationToken)"/> for how each download is made.
    /// </para>
    /// </remarks>
    /// <param name="job">A completed job, from <see cref="WaitForCompletionAsync"/> or <see cref="QueryAsync"/>.</param>
    /// <param name="directory">The folder to write to; created if missing.</param>
    /// <param name="options">
    /// Size limit (of each image), downloads at once, and progress; <see langword="null"/> for the defaults (20 MiB, 4,
    /// no progress). Progress reports carry <see cref="TryOnDownloadProgress.TaskIndex"/> and
    /// <see cref="TryOnDownloadProgress.ResultIndex"/>; those of images downloaded at once interleave.
    /// </param>
    /// <param name="cancellationToken">Cancels the downloads; the files being written are then not created.</param>
    /// <returns>The images saved, in task and result order (whatever order they completed in); empty when no task succeeded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="job"/>, <paramref name="directory"/> or a result link is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A result link is not an absolute http(s) URL (the message names its task and position), two successful tasks of <paramref name="job"/> have the same index (their files would have the same names), or <paramref name="directory"/> is empty or not a valid path; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnDownloadOptions.MaxBytes"/> is not from 1 to <see cref="int.MaxValue"/>, or <see cref="TryOnDownloadOptions.MaxConcurrency"/> is not from 1 to <see cref="TryOnDownloadOptions.MaxConcurrencyLimit"/> (64).</exception>
    /// <exception cref="TryOnDownloadsFailedException">
    /// One image or more could not be downloaded (<see cref="TryOnDownloadsFailedException.Failures"/> has each one's
    /// typed exception: <see cref="TryOnResultExpiredException"/>, <see cref="TryOnDownloadTooLargeException"/>,
    /// <see cref="TryOnUnexpectedContentTypeException"/>, <see cref="TryOnDownloadException"/>, <see cref="TryOnThrottledException"/>,
    /// <see cref="TryOnRedirectException"/>, <see cref="TryOnTimeoutException"/>, <see cref="TryOnConnectionException"/>,
    /// or an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> of its file); the others were saved
    /// (<see cref="TryOnDownloadsFailedException.Saved"/>).
    /// </exception>
    /// <exception cref="IOException">The folder could not be created, for example because a file has its name (the message names the folder); nothing was sent.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be created.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<IReadOnlyList<TryOnDownloadedImage>> DownloadResultsAsync(TryOnJob job, string directory, TryOnDownloadOptions? options = null, CancellationToken cancellationToken = default) =>
        Downloader.ToDirectoryAsync(job, directory, options, cancellationToken);

    /// <summary>
    /// Runs any number of tasks: submits them in jobs of up to 10 (<see cref="TryOnBulkOptions.BatchSize"/>), at most
    /// <see cref="TryOnBulkOptions.MaxConcurrentBatches"/> jobs in flight, waits for each job, and streams each task's
    /// outcome as its job completes. Every job is billed to the AppCode.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every input ends as exactly one <see cref="TryOnBulkOutcome"/>, carrying its <see cref="TryOnBulkOutcome.InputIndex"/>:
    /// <see cref="TryOnBulkStatus.Succeeded"/> with its images, <see cref="TryOnBulkStatus.Failed"/> with the reason
    /// (nothing was created, or the service ended the task <c>FAILED</c>), or <see cref="TryOnBulkStatus.OutcomeUnknown"/>
    /// with its job's result key when one exists (a submit whose outcome is unknown, a wait that timed out or failed:
    /// wait for the key again later). Outcomes come in the order jobs complete, not the input order.
    /// </para>
    /// <para>
    /// No task is submitted twice: a submit is retried only where no job can have been created (see the client's
    /// retry policy), and a run resumes from the batches <see cref="TryOnBulkOptions.OnBatchSubmitted"/> reported,
    /// passed back as <see cref="TryOnBulkOptions.SubmittedBatches"/>: those are waited for, not submitted again. With
    /// <see cref="TryOnBulkOptions.OnBatchSubmitting"/>, each batch is recorded as it is sent (after its rate-limit
    /// permit), so that a process killed during a submit cannot lead a resumed run to submit it again either.
    /// Submits go through the client's rate limits (<see cref="TryOnClientOptions.RateLimit"/>).
    /// </para>
    /// <para>
    /// Cancelling stops the run with an <see cref="OperationCanceledException"/>; outcomes not yet yielded are not. A
    /// batch whose submit had been sent is given up to 5 seconds more for its whole answer, headers and body (by a client that records as it
    /// sends: see <see cref="TryOnBulkOptions.OnBatchSubmitting"/>), and is reported to
    /// <see cref="TryOnBulkOptions.OnBatchSubmitted"/> with its result key when the answer comes in that time, so a
    /// resumed run waits for its job; without one otherwise (it may have been created), so a resumed run reports it as
    /// outcome unknown rather than submit it again. No new attempt is sent after the cancellation; one recorded but not yet sent is reported to <see cref="TryOnBulkOptions.OnBatchNotSubmitted"/>,
    /// and one still waiting for its permit was never recorded: a resumed run submits both. Records of jobs that may exist
    /// are written before the run ends, whatever ended it.
    /// </para>
    /// </remarks>
    /// <param name="tasks">The tasks, any number; each is checked before anything is sent.</param>
    /// <param name="options">Batching, concurrency, waiting and resuming; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run (so does the enumerator's token).</param>
    /// <returns>The outcomes, one per input, as they come.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>; thrown by this call, before anything is sent.</exception>
    /// <exception cref="TryOnInvalidTaskException">A task is unusable, the message naming it by its index in <paramref name="tasks"/> (<c>tasks[37].upper.image …</c>); thrown by this call, before anything is sent.</exception>
    /// <exception cref="ArgumentException">A submitted batch in <paramref name="options"/> is invalid, or an option is out of range (<see cref="ArgumentOutOfRangeException"/>); thrown by this call.</exception>
    /// <exception cref="OperationCanceledException">While enumerating: the run was cancelled.</exception>
    /// <exception cref="Exception">
    /// While enumerating, or from the end of an <c>await foreach</c> left early: the first exception one of the records
    /// of <paramref name="options"/> (<see cref="TryOnBulkOptions.OnBatchSubmitting"/> and the others) threw. It stops
    /// the run, and it is thrown in place of whatever else ended it (a cancellation, the loop's own exception).
    /// </exception>
    public virtual IAsyncEnumerable<TryOnBulkOutcome> RunBulkAsync(IEnumerable<TryOnTask> tasks, TryOnBulkOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkRunner.Start(this, tasks, options, cancellationToken);

    /// <summary>
    /// Whether this client's submits make a bulk run's <see cref="SubmittingRecord"/> themselves, as they leave: a
    /// connected client whose chain ends in a <see cref="TransportTracker"/>, of this very type (a subclass may submit
    /// some other way, through a client without one). Otherwise the run makes it before submitting.
    /// </summary>
    internal bool RecordsSubmitsAsSent => _connection?.HasTracker == true && GetType() == typeof(TryOnClient);

    /// <summary>The client's clock.</summary>
    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>The tasks to submit, enumerated once, so that their number is known (a null stays null for the submit to refuse).</summary>
    private static IReadOnlyCollection<TryOnTask>? Sent(IEnumerable<TryOnTask>? tasks) => tasks as IReadOnlyCollection<TryOnTask> ?? tasks?.ToArray();

    /// <summary>The keys of the images this client published for the job <paramref name="resultKey"/> that wait for it to end; none for a mock.</summary>
    internal IReadOnlyList<string> ImageKeysOf(string resultKey) => _images?.KeysOf(resultKey) ?? [];

    /// <summary>Images an earlier run published for the job <paramref name="resultKey"/>: deleted when this client sees it end.</summary>
    internal void ExpectImages(string resultKey, IReadOnlyList<string> keys) => _images?.Expect(resultKey, keys);

    /// <summary>
    /// Records a job seen with every task finished (by <c>SubmitAndWaitAsync</c>, an operation or a bulk run): its submit-to-finish time, when this
    /// client submitted it at <paramref name="submittedAt"/> (a timestamp of its clock), and its tasks, unless a wait
    /// saw them finish and counted them already.
    /// </summary>
    internal void RecordJobFinished(TryOnJob job, long? submittedAt, bool tasksCounted)
    {
        if (_telemetry is not { } telemetry)
        {
            return;
        }

        if (submittedAt is { } at)
        {
            telemetry.JobFinished(_timeProvider.GetElapsedTime(at));
        }

        if (!tasksCounted)
        {
            telemetry.TasksFinished(job);
        }
    }

    private ClientConnection Connection => _connection ?? throw NotConnected();

    private TryOnJobPoller Poller => _poller ?? throw NotConnected();

    private ImagePublisher Images => _images ?? throw NotConnected();

    private ResultDownloader Downloader => _downloader ?? throw NotConnected();

    private static InvalidOperationException NotConnected() =>
        new("This TryOnClient was created with the protected constructor for mocking; override the method you call.");

    private static TryOnClientOptions Validated(TryOnClientOptions options)
    {
        TryOnClientOptionsValidator.ThrowIfInvalid(options, nameof(options));
        return options;
    }

    /// <summary>The URL of an image that is one (every image is, once published).</summary>
    private static Uri? UrlOf(TryOnImage? image) => (image as UrlImage)?.Url;

    private static WireTaskInput ToWire(TryOnTask task) => new()
    {
        ModelImage = UrlOf(task.ModelImage)!.AbsoluteUri,
        UpperImage = ToWire(task.Upper),
        LowerImage = ToWire(task.Lower),
        FullImage = ToWire(task.FullBody),
        InferenceMode = (int)task.InferenceMode,
    };

    private static WireGarmentInput? ToWire(GarmentImage? garment) =>
        garment is null ? null : new WireGarmentInput { Url = UrlOf(garment.Image)!.AbsoluteUri, Type = (int)garment.Kind };

    /// <summary>One call, with its span, metrics and logs around it, and its failures translated into the client's exceptions.</summary>
    private async Task<TryOnJob> SendAsync(TryOnOperation operation, Uri uri, WireRequest body, IReadOnlyList<TryOnTask>? tasks, CancellationToken cancellationToken)
    {
        var name = operation == TryOnOperation.Submit ? "submit" : "query";
        using var activity = TryOnTelemetry.StartCall(name, uri);
        var started = _timeProvider.GetTimestamp();
        try
        {
            if (operation == TryOnOperation.Submit && cancellationToken.IsCancellationRequested)
            {
                throw TryOnFailureTranslator.CancelledBeforeSending(cancellationToken);
            }

            TryOnJob job;
            int status;
            using (var request = CreateRequest(operation, uri, body))
            {
                request.Origin = WorkOrigin.Value ?? started;
                var sentAt = _timeProvider.GetUtcNow();
                try
                {
                    using var response = await Connection.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    using (SubmitAnswerGrace.For(request, cancellationToken, _timeProvider, out var readToken))
                    {
                        try
                        {
                            job = await TryOnResponseMapper.ReadJobAsync(response, _timeProvider, readToken).ConfigureAwait(false);
                        }
                        catch (TryOnInvalidResponseException partial) when (operation == TryOnOperation.Query && partial.Job is { } other && TryOnResponseMapper.ForAnotherJob(response, other, body.Data!.ResultKey!) is { } partlyAnother)
                        {
                            // Readable in part, and another job's: none of it is given, not even its usable links.
                            throw partlyAnother;
                        }
                    }

                    if (operation == TryOnOperation.Query && TryOnResponseMapper.ForAnotherJob(response, job, body.Data!.ResultKey!) is { } mixedUp)
                    {
                        throw mixedUp;
                    }
                }
                catch (Exception exception) when (TryOnFailureTranslator.Translate(exception, operation, request, tasks, sentAt, cancellationToken) is { } translated)
                {
                    throw translated;
                }
            }

            _telemetry?.CallSucceeded(activity, name, _timeProvider.GetElapsedTime(started), job, status);
            if (operation == TryOnOperation.Query && _images is { Cleanups.IsEmpty: false } images)
            {
                // The job's published images, if this registration published any, go once it has ended.
                await images.JobSeenAsync(job, cancellationToken).ConfigureAwait(false);
            }

            if (operation == TryOnOperation.Submit && _telemetry is { } telemetry)
            {
                Log.SubmitAccepted(telemetry.Logger, job.ResultKey, job.Tasks.Count, job.RequestId);
            }

            return job;
        }
        catch (Exception exception)
        {
            if (operation == TryOnOperation.Query && exception is TryOnException error)
            {
                // The job a query concerns is the one asked about, whatever the answer named.
                error.SetResultKey(body.Data?.ResultKey, replace: true);
            }

            _telemetry?.Failed(activity, name, _timeProvider.GetElapsedTime(started), exception);
            throw;
        }
    }

    /// <summary>The request of one call; the handlers add authentication.</summary>
    internal static TryOnRequestMessage CreateRequest(TryOnOperation operation, Uri uri, WireRequest body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, TryOnJsonContext.Default.WireRequest));
        // Exactly application/json, no charset: the gateway signs Content-Type as sent. Both headers are constants,
        // added as text rather than parsed into header objects on every call.
        content.Headers.TryAddWithoutValidation("Content-Type", JsonMediaType);
        var request = new TryOnRequestMessage(operation, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", JsonMediaType);
        // No content coding: without the header any is acceptable (RFC 9110), and a gzipped answer to a submit could not
        // be read, losing a billed job's key. The transport does not decompress (and the downloads ask the same).
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
        return request;
    }

    /// <summary>
    /// What a connected client sends with: the HTTP client, the two operations' addresses, and whether the HTTP client's
    /// chain ends in a <see cref="TransportTracker"/>.
    /// </summary>
    private sealed record ClientConnection(HttpClient HttpClient, Uri SubmitUri, Uri QueryUri, bool HasTracker);
}
