namespace AliTryOn;

/// <summary>
/// The names under which the client reports what it does, for wiring it to OpenTelemetry or another collector:
/// <c>AddSource(TryOnDiagnostics.ActivitySourceName)</c> and <c>AddMeter(TryOnDiagnostics.MeterName)</c>.
/// </summary>
/// <remarks>
/// Everything is opt-in and costs next to nothing while nobody listens: spans are created only for an activity
/// listener, measurements only for a meter listener, and log messages only for an enabled level. Nothing carries the
/// AppCode or a request's nonce; image URLs appear only in Debug logs.
/// </remarks>
public static class TryOnDiagnostics
{
    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> name, <c>AliTryOn</c>. Spans: <c>TryOn submit</c> and
    /// <c>TryOn query</c> (kind Client, with OpenTelemetry's HTTP client attributes, the result key, the service's
    /// request id and, on failure, <c>error.type</c> and the error code), and <c>TryOn wait</c> (its poll count and the
    /// tasks' final statuses), the wait's queries nested in it.
    /// </summary>
    public const string ActivitySourceName = "AliTryOn";

    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> name, <c>AliTryOn</c>. Instruments:
    /// <c>alitryon.client.operation.duration</c> (s; by <c>alitryon.operation</c> submit, query or wait, and
    /// <c>alitryon.outcome</c>; its count is the number of calls), <c>alitryon.client.retries</c> (by operation and
    /// <c>alitryon.retry.reason</c>), <c>alitryon.job.duration</c> (s, submit to every task finished, for the jobs of
    /// <c>SubmitAndWaitAsync</c>, <c>RunBulkAsync</c> and <c>SubmitOperationAsync</c>) and <c>alitryon.job.tasks</c>
    /// (tasks seen finished, by <c>alitryon.task.status</c>; the README's metrics table says by which calls).
    /// With dependency injection the meter comes from the container's <c>IMeterFactory</c>.
    /// </summary>
    public const string MeterName = "AliTryOn";

    /// <summary>
    /// The log category of the client, <c>AliTryOn</c>; its HTTP calls log under <c>AliTryOn.Http</c>. Event ids are
    /// stable: 1001 a foreign retry handler removed; 1100 submit accepted; 1101 a submitted task's image URLs (Debug);
    /// 1110 a job's statuses changed; 1111 a wait finished; 1112 a wait timed out; 1120 a retry; 1130 a call failed;
    /// 1131 a submit's outcome is unknown; 2001–2003 HTTP request sent, answered, failed (Debug).
    /// </summary>
    public const string LogCategory = "AliTryOn";
}
