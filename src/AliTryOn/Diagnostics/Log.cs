using Microsoft.Extensions.Logging;

namespace AliTryOn.Diagnostics;

/// <summary>
/// The client's log messages: source-generated, with stable event ids (1xxx the client, 2xxx its HTTP calls). None
/// carries the AppCode or a nonce; image URLs appear only at Debug.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 1001,
        Level = LogLevel.Warning,
        Message = "Removed {HandlerType} from the HTTP client {ClientName}: TryOnClient's calls and downloads have their own resilience pipeline, which never retries a submit that may have been billed; a second retry layer would, and would multiply the retries.")]
    public static partial void ForeignResilienceRemoved(ILogger logger, string handlerType, string clientName);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Sending HTTP {Method} {Uri}")]
    public static partial void HttpRequestStart(ILogger logger, string method, System.Uri? uri);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Received HTTP {StatusCode} for {Method} {Uri} after {ElapsedMilliseconds} ms")]
    public static partial void HttpRequestStop(ILogger logger, string method, System.Uri? uri, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "HTTP {Method} {Uri} failed after {ElapsedMilliseconds} ms")]
    public static partial void HttpRequestFailed(ILogger logger, string method, System.Uri? uri, double elapsedMilliseconds, System.Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Submitted try-on job {ResultKey}: {TaskCount} tasks (request {RequestId})")]
    public static partial void SubmitAccepted(ILogger logger, string resultKey, int taskCount, string? requestId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Submitting task {TaskIndex}: model {ModelImageUrl}, upper {UpperUrl}, lower {LowerUrl}, full body {FullBodyUrl}, {InferenceMode} mode")]
    public static partial void SubmittingTask(ILogger logger, int taskIndex, System.Uri modelImageUrl, System.Uri? upperUrl, System.Uri? lowerUrl, System.Uri? fullBodyUrl, InferenceMode inferenceMode);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Try-on job {ResultKey}: {Statuses}")]
    public static partial void JobStatusChanged(ILogger logger, string resultKey, string statuses);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Try-on job {ResultKey} finished: {Succeeded} tasks succeeded, {Failed} failed, after {PollCount} queries")]
    public static partial void JobCompleted(ILogger logger, string resultKey, int succeeded, int failed, int pollCount);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Stopped waiting for try-on job {ResultKey} after {Timeout} and {PollCount} queries; the job goes on in the service")]
    public static partial void WaitTimedOut(ILogger logger, string resultKey, System.TimeSpan timeout, int pollCount, System.Exception exception);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "A query of try-on job {ResultKey} failed ({ErrorType}), {Failures} of {Tolerated} failures in a row the wait tolerates; it goes on")]
    public static partial void WaitQueryFailed(ILogger logger, string resultKey, int failures, int tolerated, string errorType);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Warning, Message = "Stopped waiting for submitted try-on job {ResultKey} ({ErrorType}); the job goes on in the service: wait for it again with its result key")]
    public static partial void SubmittedJobNotWaited(ILogger logger, string resultKey, string errorType, System.Exception exception);

    [LoggerMessage(EventId = 1140, Level = LogLevel.Debug, Message = "Published {ImageCount} local images through {HostType}")]
    public static partial void ImagesPublished(ILogger logger, int imageCount, string hostType);

    [LoggerMessage(EventId = 1141, Level = LogLevel.Warning, Message = "Could not delete the published image {ImageKey} ({ErrorType}); its link still expires, and a lifecycle rule on the storage removes it")]
    public static partial void ImageNotDeleted(ILogger logger, string imageKey, string errorType);

    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "The reloaded configuration of {Client} is invalid and was not applied; its clients keep their previous settings. {Failures}")]
    public static partial void ReloadedOptionsInvalid(ILogger logger, string client, string failures);

    [LoggerMessage(EventId = 1160, Level = LogLevel.Warning, Message = "The rate limit's store {StoreType}, shared with the application's other instances, failed ({ErrorType}); calls keep to this instance's own limit, and the store is asked again in {PauseSeconds} s")]
    public static partial void RateLimitStoreFailed(ILogger logger, string storeType, string errorType, double pauseSeconds, System.Exception exception);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "Retrying try-on {Operation}: attempt {Attempt} failed ({Reason}); next attempt in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, double delayMilliseconds, string reason);

    [LoggerMessage(EventId = 1130, Level = LogLevel.Warning, Message = "Try-on {Operation} failed: {ErrorType} (HTTP {Status}, code {ErrorCode}, request {RequestId})")]
    public static partial void OperationFailed(ILogger logger, string operation, string errorType, int? status, string? errorCode, string? requestId, System.Exception exception);

    [LoggerMessage(EventId = 1132, Level = LogLevel.Warning, Message = "Try-on submit cancelled after it was sent: a job may exist and be billed, and its key is unknown")]
    public static partial void SubmitCancelledAfterSending(ILogger logger);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Error, Message = "Try-on submit outcome unknown: a job may exist and be billed (result key {ResultKey}, request {RequestId}, after {FailureType}); it was not retried")]
    public static partial void SubmitOutcomeUnknown(ILogger logger, string? resultKey, string? requestId, string? failureType, System.Exception? exception);
}
