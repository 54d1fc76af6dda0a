using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AliTryOn.Diagnostics;

/// <summary>
/// The client's logs, traces and metrics, all named <c>AliTryOn</c>. Nothing is formatted, allocated or measured unless
/// a logger, an activity listener or a meter listener asks for it. Nothing carries the AppCode or a nonce; image URLs
/// appear only in Debug logs.
/// </summary>
internal sealed class TryOnTelemetry
{
    private const string Name = TryOnDiagnostics.ActivitySourceName;

    private static readonly string? Version = typeof(TryOnTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>
    /// The instruments of clients built without dependency injection: one meter for the process, like the activity
    /// source, rather than one per client (a meter lives in the runtime's list until it is disposed).
    /// </summary>
    private static readonly Instruments SharedInstruments = new(new Meter(TryOnDiagnostics.MeterName, Version));

    private readonly Instruments _instruments;

    /// <param name="loggerFactory">Where logs go; <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Where the meter comes from (one per container); <see langword="null"/> for the process-wide one.</param>
    public TryOnTelemetry(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TryOnDiagnostics.LogCategory);
        _instruments = meterFactory is null ? SharedInstruments : new Instruments(meterFactory.Create(TryOnDiagnostics.MeterName, Version));
    }

    /// <summary>Spans: <c>TryOn submit</c>, <c>TryOn query</c> (client calls) and <c>TryOn wait</c>.</summary>
    internal static ActivitySource Source { get; } = new(Name, Version);

    public ILogger Logger { get; }

    /// <summary>Starts the span of a submit or query call, with OpenTelemetry's HTTP client attributes.</summary>
    public static Activity? StartCall(string operation, Uri uri) => StartClientSpan(operation, "POST", uri);

    /// <summary>
    /// Starts the span of a result download, with OpenTelemetry's HTTP client attributes. The link's query string, which
    /// carries its signature, is left out of <c>url.full</c>, as is any user information.
    /// </summary>
    public static Activity? StartDownload(Uri url) => StartClientSpan("download", "GET", url);

    /// <summary>Records a download that succeeded.</summary>
    public void DownloadSucceeded(Activity? activity, int status, TimeSpan elapsed, long bytes)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.response.status_code", status);
            activity.SetTag("alitryon.download.bytes", bytes);
        }

        RecordDuration("download", "success", elapsed);
    }

    /// <summary>Records a call that returned a job, answered with HTTP <paramref name="status"/>.</summary>
    public void CallSucceeded(Activity? activity, string operation, TimeSpan elapsed, TryOnJob job, int status)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.response.status_code", status);
            activity.SetTag("alitryon.result_key", job.ResultKey);
            activity.SetTag("alitryon.task_count", job.Tasks.Count);
            activity.SetTag("alitryon.request_id", job.RequestId);
        }

        RecordDuration(operation, "success", elapsed);
    }

    /// <summary>Records a call or wait that failed: the span's error, the metric's outcome, and a log entry.</summary>
    public void Failed(Activity? activity, string operation, TimeSpan elapsed, Exception exception)
    {
        var outcome = OutcomeOf(exception);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag("error.type", exception is TryOnException { ErrorCode: { } code } ? code : exception.GetType().FullName);
                if (exception is TryOnException error)
                {
                    activity.SetTag("http.response.status_code", error.Status);
                    activity.SetTag("alitryon.error_code", error.ErrorCode);
                    activity.SetTag("alitryon.request_id", error.RequestId);
                    activity.SetTag("alitryon.result_key", error.ResultKey); // the job queried, or named by an unreadable answer
                }
            }
        }

        RecordDuration(operation, outcome, elapsed);
        if (exception is TryOnSubmitCanceledException { MayHaveCreatedJob: true })
        {
            // The caller's own cancellation, but after the submit went out: a job may exist, and be billed.
            Log.SubmitCancelledAfterSending(Logger);
            return;
        }

        if (outcome == "cancelled")
        {
            return;
        }

        if (exception is TryOnSubmitOutcomeUnknownException unknown)
        {
            // The cause, not the exception itself: its Nonce property is for the caller and the vendor, not for logs.
            Log.SubmitOutcomeUnknown(Logger, unknown.ResultKey, unknown.RequestId, unknown.InnerException?.GetType().Name, unknown.InnerException);
        }
        else
        {
            var error = exception as TryOnException;
            Log.OperationFailed(Logger, operation, exception.GetType().Name, error?.Status, error?.ErrorCode, error?.RequestId, exception);
        }
    }

    /// <summary>Records a retry: a log entry and the retries counter.</summary>
    public void Retrying(string operation, int attempt, TimeSpan delay, string reason)
    {
        Log.Retrying(Logger, operation, attempt, delay.TotalMilliseconds, reason);
        if (_instruments.Retries.Enabled)
        {
            _instruments.Retries.Add(1, new KeyValuePair<string, object?>("alitryon.operation", operation), new KeyValuePair<string, object?>("alitryon.retry.reason", reason));
        }
    }

    /// <summary>Starts the span of a wait.</summary>
    public static Activity? StartWait(string resultKey)
    {
        var activity = Source.StartActivity("TryOn wait", ActivityKind.Internal);
        activity?.SetTag("alitryon.result_key", resultKey);
        return activity;
    }

    /// <summary>Records a wait that saw every task finish: span tags, the tasks counter and a log entry.</summary>
    public void WaitCompleted(Activity? activity, TryOnJob job, int polls, TimeSpan elapsed)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("alitryon.poll_count", polls);
            activity.SetTag("alitryon.task_statuses", job.Tasks.Select(static t => t.Status.Name).ToArray());
        }

        TasksFinished(job);
        RecordDuration("wait", "success", elapsed);
        Log.JobCompleted(Logger, job.ResultKey, job.SucceededTasks.Count, job.FailedTasks.Count, polls);
    }

    /// <summary>Records a wait ended by a failed query or by cancellation (the query's failure is logged by the call itself).</summary>
    public void WaitFailed(Activity? activity, TimeSpan elapsed, int polls, Exception exception)
    {
        var outcome = OutcomeOf(exception);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
            activity.SetTag("alitryon.poll_count", polls);
            activity.SetTag("error.type", exception.GetType().FullName);
        }

        RecordDuration("wait", outcome, elapsed);
    }

    /// <summary>Records a wait that ran out of time: its duration is the time it took (its limit, and the query it abandoned).</summary>
    public void WaitTimedOut(Activity? activity, string resultKey, TimeSpan timeout, TimeSpan elapsed, int polls, TryOnWaitTimeoutException exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, "wait_timeout");
            activity.SetTag("alitryon.poll_count", polls);
            activity.SetTag("error.type", typeof(TryOnWaitTimeoutException).FullName);
        }

        RecordDuration("wait", "wait_timeout", elapsed);
        Log.WaitTimedOut(Logger, resultKey, timeout, polls, exception);
    }

    /// <summary>Counts the tasks of a job seen with every task finished, by the status each ended with.</summary>
    public void TasksFinished(TryOnJob job)
    {
        if (_instruments.Tasks.Enabled)
        {
            foreach (var task in job.Tasks)
            {
                _instruments.Tasks.Add(1, new KeyValuePair<string, object?>("alitryon.task.status", task.Status.Name));
            }
        }
    }

    /// <summary>Records a submit-to-finish time, when the client saw both ends.</summary>
    public void JobFinished(TimeSpan sinceSubmit)
    {
        if (_instruments.JobDuration.Enabled)
        {
            _instruments.JobDuration.Record(sinceSubmit.TotalSeconds);
        }
    }

    /// <summary>A short, stable name of what ended a call, for metrics and span status.</summary>
    internal static string OutcomeOf(Exception exception) => exception switch
    {
        OperationCanceledException => "cancelled",
        TryOnSubmitOutcomeUnknownException => "outcome_unknown",
        TryOnThrottledException => "throttled",
        TryOnAuthenticationException => "authentication",
        TryOnQuotaExceededException => "quota_exceeded",
        TryOnServiceException => "service_error",
        TryOnConnectionException => "connection_error",
        TryOnTimeoutException => "timeout",
        TryOnWaitTimeoutException => "wait_timeout",
        TryOnResultExpiredException => "link_expired",
        TryOnDownloadTooLargeException => "too_large",
        TryOnUnexpectedContentTypeException => "not_an_image",
        TryOnDownloadException => "download_error",
        TryOnJobFailedException => "job_failed",
        TryOnJobNotFoundException => "job_not_found",
        TryOnContentRejectedException or TryOnImageUnreachableException or TryOnInvalidImageException => "image_rejected",
        TryOnInvalidRequestException or TryOnOperationNotSupportedException or TryOnRedirectException => "invalid_request",
        TryOnInvalidResponseException => "invalid_response",
        ArgumentException => "invalid_argument",
        _ => "error",
    };

    /// <summary>A client span; its <c>url.full</c> is the address as <see cref="UrlDisplay"/> shows it, made only when recorded.</summary>
    private static Activity? StartClientSpan(string operation, string method, Uri uri)
    {
        var activity = Source.StartActivity("TryOn " + operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("server.address", uri.Host);
            activity.SetTag("server.port", uri.Port);
            activity.SetTag("url.full", UrlDisplay.Show(uri));
            activity.SetTag("alitryon.operation", operation);
        }

        return activity;
    }

    private void RecordDuration(string operation, string outcome, TimeSpan elapsed)
    {
        var operationDuration = _instruments.OperationDuration;
        if (operationDuration.Enabled)
        {
            operationDuration.Record(
                elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("alitryon.operation", operation),
                new KeyValuePair<string, object?>("alitryon.outcome", outcome));
        }
    }

    /// <summary>The client's instruments on one meter.</summary>
    private sealed class Instruments(Meter meter)
    {
        public Histogram<double> OperationDuration { get; } = meter.CreateHistogram<double>(
            "alitryon.client.operation.duration",
            unit: "s",
            description: "Duration of submit, query, wait and download calls, by operation and outcome; its count is the number of calls.");

        public Counter<long> Retries { get; } = meter.CreateCounter<long>(
            "alitryon.client.retries",
            unit: "{retry}",
            description: "Retried attempts, by operation and reason.");

        public Histogram<double> JobDuration { get; } = meter.CreateHistogram<double>(
            "alitryon.job.duration",
            unit: "s",
            description: "Time from submitting a job to seeing every task finished (SubmitAndWaitAsync, a bulk run, an operation).");

        public Counter<long> Tasks { get; } = meter.CreateCounter<long>(
            "alitryon.job.tasks",
            unit: "{task}",
            description: "Tasks seen finished (by a wait, a submit answered finished, a bulk run or an operation), by final status.");
    }
}
