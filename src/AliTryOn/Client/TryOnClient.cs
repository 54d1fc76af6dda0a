using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Client;
using AliTryOn.Diagnostics;
using AliTryOn.Http;
using AliTryOn.Polling;
using AliTryOn.Serialization;
using Microsoft.Extensions.Logging;

namespace AliTryOn;

/// <summary>
/// Client for the virtual try-on API v2: submit jobs of 1 to 10 try-on tasks, query them, and wait for them to finish.
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
    private const string SubmitPath = "api/v2/tryon/submit";
    private const string QueryPath = "api/v2/tryon/query";

    private readonly ClientConnection? _connection;
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly TryOnJobPoller? _poller;
    private readonly TryOnTelemetry? _telemetry;

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
    /// <see cref="TryOnAuthenticationHandler"/> (inside any retry handler), and it then has none of the client's own
    /// retries, timeouts or rate limits: those come with the other constructors and with <c>AddTryOnClient</c>.
    /// Its <see cref="HttpClient.BaseAddress"/> is ignored in favour of <see cref="TryOnClientOptions.Endpoint"/>.
    /// </summary>
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

    /// <summary>A client that owns its handler chain, reporting to <paramref name="telemetry"/>.</summary>
    private TryOnClient(TryOnClientOptions options, HttpMessageHandler? transport, TimeProvider? timeProvider, TryOnTelemetry telemetry)
        : this(TryOnHttpPipeline.CreateHttpClient(Validated(options), transport, timeProvider ?? TimeProvider.System, telemetry), options, timeProvider, telemetry)
    {
    }

    /// <summary>The constructor the others and dependency injection share; <paramref name="options"/> are valid.</summary>
    internal TryOnClient(HttpClient httpClient, TryOnClientOptions options, TimeProvider? timeProvider, TryOnTelemetry telemetry)
    {
        _telemetry = telemetry;
        var endpoint = options.Endpoint!;
        var baseUri = endpoint.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _connection = new ClientConnection(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            new Uri(baseUri, SubmitPath),
            new Uri(baseUri, QueryPath));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _poller = new TryOnJobPoller(new PollingSchedule(options.Polling), _timeProvider, telemetry);
    }

    /// <summary>Submits a job of one task. The job is billed to the AppCode.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">
    /// Cancels the call (an <see cref="OperationCanceledException"/>). A call cancelled after it was sent may still have created a job.
    /// </param>
    /// <returns>The created job, with its result key and each task's initial status (usually <c>WAITING</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> or one of its URLs is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The task is unusable (no garment, a relative or non-http URL); nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An enum value is undefined; nothing was sent.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with an error; the subtype names the family.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx or an unreadable success: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> SubmitAsync(TryOnTask task, CancellationToken cancellationToken = default) =>
        SubmitAsync([task ?? throw new ArgumentNullException(nameof(task))], cancellationToken);

    /// <summary>Submits a job of 1 to 10 tasks in one call. The job is billed to the AppCode.</summary>
    /// <param name="tasks">The tasks, at most 10. Each is checked before anything is sent.</param>
    /// <param name="cancellationToken">
    /// Cancels the call (an <see cref="OperationCanceledException"/>). A call cancelled after it was sent may still have created a job.
    /// </param>
    /// <returns>The created job, with its result key and each task's initial status, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/>, a task or a URL is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No task, or a task is unusable (no garment, a relative or non-http URL); the message names the task index and field; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More than 10 tasks, or an undefined enum value; nothing was sent.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with an error; the subtype names the family.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx or an unreadable success: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
    {
        var checkedTasks = TryOnRequestValidator.ValidateTasks(tasks, nameof(tasks));
        var wireTasks = new WireTask[checkedTasks.Length];
        var logTasks = _telemetry?.Logger.IsEnabled(LogLevel.Debug) == true;
        for (var i = 0; i < checkedTasks.Length; i++)
        {
            var task = checkedTasks[i];
            wireTasks[i] = ToWire(task);
            if (logTasks)
            {
                Log.SubmittingTask(_telemetry!.Logger, i, task.ModelImageUrl, task.Upper?.Url, task.Lower?.Url, task.FullBody?.Url, task.InferenceMode);
            }
        }

        return SendAsync(TryOnOperation.Submit, Connection.SubmitUri, new WireEnvelope { Data = new WireJob { TaskList = wireTasks } }, checkedTasks, cancellationToken);
    }

    /// <summary>Queries a job's current state. Queries are not billed.</summary>
    /// <param name="resultKey">The job's result key, from <see cref="SubmitAsync(IEnumerable{TryOnTask}, CancellationToken)"/> or kept from earlier.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's current snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resultKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultKey"/> is empty or whitespace; nothing was sent.</exception>
    /// <exception cref="TryOnJobNotFoundException">The service knows no job with that key.</exception>
    /// <exception cref="TryOnException">The service or its gateway answered with another error.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> QueryAsync(string resultKey, CancellationToken cancellationToken = default)
    {
        TryOnRequestValidator.ValidateResultKey(resultKey, nameof(resultKey));
        return SendAsync(TryOnOperation.Query, Connection.QueryUri, new WireEnvelope { Data = new WireJob { ResultKey = resultKey } }, tasks: null, cancellationToken);
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
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnWaitOptions.Timeout"/> is zero or negative.</exception>
    /// <exception cref="TryOnWaitTimeoutException">The time limit passed first; it carries the result key and the last snapshot.</exception>
    /// <exception cref="TryOnJobFailedException">Some task failed and <see cref="TryOnWaitOptions.ThrowOnFailedTasks"/> is set; it carries the job.</exception>
    /// <exception cref="TryOnException">A query failed.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
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
    /// <exception cref="ArgumentException">The task is unusable; nothing was sent (<see cref="ArgumentNullException"/> and <see cref="ArgumentOutOfRangeException"/> are its subtypes).</exception>
    /// <exception cref="TryOnWaitTimeoutException">The wait's time limit passed; it carries the result key to resume with.</exception>
    /// <exception cref="TryOnException">The submit or a query failed.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx or an unreadable success: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<TryOnJob> SubmitAndWaitAsync(TryOnTask task, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
        SubmitAndWaitAsync([task ?? throw new ArgumentNullException(nameof(task))], options, cancellationToken);

    /// <summary>Submits a job of 1 to 10 tasks and waits for it to finish. The job is billed to the AppCode.</summary>
    /// <param name="tasks">The tasks, at most 10.</param>
    /// <param name="options">Settings of the wait; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call; a job already submitted goes on.</param>
    /// <returns>The completed job.</returns>
    /// <exception cref="ArgumentException">The tasks are unusable; nothing was sent (<see cref="ArgumentNullException"/> and <see cref="ArgumentOutOfRangeException"/> are its subtypes).</exception>
    /// <exception cref="TryOnWaitTimeoutException">The wait's time limit passed; it carries the result key to resume with.</exception>
    /// <exception cref="TryOnException">The submit or a query failed.</exception>
    /// <exception cref="TryOnSubmitOutcomeUnknownException">The submit timed out, lost its connection after sending, or got a 5xx or an unreadable success: a job may exist and be billed. Not retried.</exception>
    /// <exception cref="TryOnTimeoutException">The query did not complete within the attempt or total timeout, after retries.</exception>
    /// <exception cref="TryOnConnectionException">The service could not be reached, after the retries the call allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<TryOnJob> SubmitAndWaitAsync(IEnumerable<TryOnTask> tasks, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        var submitted = await SubmitAsync(tasks, cancellationToken).ConfigureAwait(false);
        var job = submitted.IsCompleted && !(options?.ThrowOnFailedTasks == true && submitted.HasFailures)
            ? submitted
            : await WaitForCompletionAsync(submitted.ResultKey, options, cancellationToken).ConfigureAwait(false);
        _telemetry?.JobFinished(_timeProvider.GetElapsedTime(started));
        return job;
    }

    private ClientConnection Connection => _connection ?? throw NotConnected();

    private TryOnJobPoller Poller => _poller ?? throw NotConnected();

    private static InvalidOperationException NotConnected() =>
        new("This TryOnClient was created with the protected constructor for mocking; override the method you call.");

    private static TryOnClientOptions Validated(TryOnClientOptions options)
    {
        TryOnClientOptionsValidator.ThrowIfInvalid(options, nameof(options));
        return options;
    }

    private static WireTask ToWire(TryOnTask task) => new()
    {
        ModelImage = task.ModelImageUrl.AbsoluteUri,
        UpperImage = ToWire(task.Upper),
        LowerImage = ToWire(task.Lower),
        FullImage = ToWire(task.FullBody),
        InferenceMode = (int)task.InferenceMode,
    };

    private static WireGarment? ToWire(GarmentImage? garment) =>
        garment is null ? null : new WireGarment { Url = garment.Url.AbsoluteUri, Type = (int)garment.Kind };

    /// <summary>One call, with its span, metrics and logs around it.</summary>
    private async Task<TryOnJob> SendAsync(TryOnOperation operation, Uri uri, WireEnvelope body, IReadOnlyList<TryOnTask>? tasks, CancellationToken cancellationToken)
    {
        var name = operation == TryOnOperation.Submit ? "submit" : "query";
        using var activity = TryOnTelemetry.StartCall(name, uri);
        var started = _timeProvider.GetTimestamp();
        try
        {
            var job = await SendCoreAsync(operation, uri, body, tasks, cancellationToken).ConfigureAwait(false);
            _telemetry?.CallSucceeded(activity, name, _timeProvider.GetElapsedTime(started), job);
            if (operation == TryOnOperation.Submit && _telemetry is { } telemetry)
            {
                Log.SubmitAccepted(telemetry.Logger, job.ResultKey, job.Tasks.Count, job.RequestId);
            }

            return job;
        }
        catch (Exception exception)
        {
            _telemetry?.Failed(activity, name, _timeProvider.GetElapsedTime(started), exception);
            throw;
        }
    }

    private async Task<TryOnJob> SendCoreAsync(TryOnOperation operation, Uri uri, WireEnvelope body, IReadOnlyList<TryOnTask>? tasks, CancellationToken cancellationToken)
    {
        var httpClient = Connection.HttpClient;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, TryOnJsonContext.Default.WireEnvelope));
        // Exactly application/json, no charset: the gateway signs Content-Type as sent.
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content = content;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.SetOperation(operation);

        var sentAt = _timeProvider.GetUtcNow();
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return await TryOnResponseMapper.ReadJobAsync(response, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TryOnFailureTranslator.Translate(exception, operation, request, tasks, sentAt, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>What a connected client sends with: the HTTP client and the two operations' addresses.</summary>
    private sealed record ClientConnection(HttpClient HttpClient, Uri SubmitUri, Uri QueryUri);
}
