using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using AliTryOn.Errors;
using Polly.RateLimiting;
using Polly.Timeout;

namespace AliTryOn.Http;

/// <summary>
/// Turns a failed call into the exception its operation calls for. For a submit, a failure after an attempt that may
/// have reached the service without a clear answer becomes <see cref="TryOnSubmitOutcomeUnknownException"/>; any other
/// failure of a submit says that no job was created.
/// </summary>
internal static class TryOnFailureTranslator
{
    /// <summary>The exception to throw instead, or <see langword="null"/> to let <paramref name="exception"/> through.</summary>
    public static Exception? Translate(
        Exception exception,
        TryOnOperation operation,
        TryOnRequestMessage request,
        IReadOnlyList<TryOnTask>? tasks,
        DateTimeOffset sentAt,
        CancellationToken cancellationToken)
    {
        var submit = operation == TryOnOperation.Submit;
        var mayHaveCreatedJob = request.MayHaveCreatedJob;
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                // The caller's own cancellation stays an OperationCanceledException; a submit's says whether it went out.
                return submit ? Cancelled() : null;
            case TimeoutRejectedException or OperationCanceledException:
                // The client's time limits (TimeLimit, failing as Polly's TimeoutRejectedException), or the HttpClient.Timeout
                // of a client the user built.
                var limit = (exception as TimeoutRejectedException)?.Timeout;
                var within = limit is { } value ? $" within {value} (AttemptTimeout or TotalTimeout of TryOnClientOptions)" : " in time (HttpClient.Timeout)";
                if (!submit)
                {
                    return new TryOnTimeoutException(
                        request.IsTracked && !request.HasAttempted
                            ? $"The query was not sent: the call's time ran out{within} before it reached the service (it was waiting, most likely for a permit of the client-side rate limit, TryOnClientOptions.RateLimit)."
                            : $"The try-on service did not answer{within}.",
                        null,
                        exception);
                }

                if (mayHaveCreatedJob)
                {
                    return Unknown("did not answer in time", null, exception);
                }

                return Refused($"The call's time ran out{within} before the next attempt could be sent.")
                    ?? new TryOnTimeoutException(
                        $"The submit was not sent: the call's time ran out{within} before it reached the service (it was waiting, most likely for a permit of the client-side rate limit, TryOnClientOptions.RateLimit). {NothingCreated}",
                        null,
                        exception);
            case RateLimiterRejectedException limited:
                // No RetryAfter: the client's limiters (concurrency, timed release) give none; the queue frees as calls end.
                return new TryOnThrottledException(
                    $"The client-side rate limit (TryOnClientOptions.RateLimit) has more calls waiting than its QueueLimit; the call was not sent.{(submit ? " " + NothingCreated : string.Empty)}",
                    null,
                    limited);
            case HttpRequestException or IOException:
                // A lost connection, also while the body was read: no IOException leaves the client.
                if (submit && (request.IsTracked ? mayHaveCreatedJob : !TransportFailure.IsBeforeSend(exception)))
                {
                    return Unknown("lost its connection after the request was sent", null, exception);
                }

                return new TryOnConnectionException(
                    $"The try-on service could not be reached: {exception.Message}{(submit ? " " + NothingCreated : string.Empty)}",
                    null,
                    exception);
            case TryOnException service when submit && (request.IsTracked ? mayHaveCreatedJob : LeavesJobInDoubt(service)):
                return Unknown(
                    LeavesJobInDoubt(service) ? WhatTheAnswerSaid(service) : $"went out more than once in one attempt and only the last send was answered (HTTP {service.Status})",
                    service.Details,
                    service);
            default:
                return null;
        }

        // The local functions below build the exceptions with everything known about the attempts.
        // An error answer that names a job says so, as an unreadable success's own message does.
        TryOnSubmitOutcomeUnknownException Unknown(string what, TryOnErrorDetails? details, Exception inner) =>
            new($"The submit {what}, so it is unknown whether the service created (and billed) the job. It was not retried; resubmitting may create a duplicate. {inner.Message}"
                + (inner is TryOnException { AnswerResultKey: { } answerKey } ? $" It names the job '{answerKey}'." : string.Empty), details, inner)
            {
                ResultKey = inner switch
                {
                    TryOnInvalidResponseException unreadable => unreadable.ResultKey ?? unreadable.AnswerResultKey, // an answer too large names it in its first bytes
                    TryOnException named => named.AnswerResultKey, // an answer that names a job, with an error it does not explain
                    CutOffResponseException cutOff => cutOff.ResultKey,
                    _ => null,
                },
                Tasks = tasks ?? [],
                SentAt = sentAt,
                Nonce = LastNonce(),
            };

        TryOnSubmitCanceledException Cancelled() => mayHaveCreatedJob
            ? new("The submit was cancelled after it was sent: the service may have created (and billed) the job.", true, cancellationToken, exception)
            {
                SentAt = sentAt,
                Nonce = LastNonce(),
            }
            : CancelledBeforeSending(cancellationToken, exception);

        // The last refusal, told again with why the retries stopped; null when no attempt was answered.
        TryOnException? Refused(string why) => request.LastRefusal is { Error: { } refusal, Kind: { } kind }
            ? TryOnExceptionFactory.Create(kind, refusal.Details, (refusal as TryOnThrottledException)?.RetryAfter, (refusal as TryOnRedirectException)?.Location, exception, $"{why} {NothingCreated}")
            : null;

        string? LastNonce() => request.Headers.TryGetValues(TryOnAuthenticationHandler.NonceHeader, out var nonces) ? nonces.LastOrDefault() : null;
    }

    /// <summary>What an answer that leaves a submit's job in doubt said, for the outcome-unknown message.</summary>
    private static string WhatTheAnswerSaid(TryOnException answer) => answer switch
    {
        TryOnJobFailedException => $"was answered that the job failed (code {answer.ErrorCode}, HTTP {answer.Status})",
        { Status: >= 500 } => $"was answered with HTTP {answer.Status}",
        TryOnInvalidResponseException => "was answered with a success the client could not read",
        _ when answer.GetType() == typeof(TryOnException) && !string.IsNullOrEmpty(answer.ErrorCode) => $"was answered with code {answer.ErrorCode}, which the client does not know",
        _ => $"was answered with {(string.IsNullOrEmpty(answer.ErrorCode) ? "an error that names no code" : $"code {answer.ErrorCode}")} on HTTP {answer.Status}",
    };

    /// <summary>The cancellation of a submit that never reached the service.</summary>
    public static TryOnSubmitCanceledException CancelledBeforeSending(CancellationToken cancellationToken, Exception? innerException = null) =>
        new($"The submit was cancelled before it reached the service. {NothingCreated}", false, cancellationToken, innerException);

    /// <summary>What every failure of a submit other than an unknown outcome says.</summary>
    internal const string NothingCreated = "No job was created, so it is safe to submit again.";

    /// <summary>
    /// Whether an answer to a submit leaves open if a job was created: a server error (5xx, or code 23500000) not
    /// naming a rejection; "the job failed" (23500011), which speaks of a job; a success status whose body could not be
    /// read; or, on a success status, an error the client cannot classify (a code it does not know, or
    /// <c>success: false</c> with none). A rejection (throttled, invalid…), or a 4xx it cannot classify, created none.
    /// </summary>
    internal static bool LeavesJobInDoubt(TryOnException error) => error switch
    {
        TryOnServiceException or TryOnJobFailedException => true,
        TryOnInvalidResponseException => error.Status is null or (>= 200 and <= 299) or >= 500,
        _ => error.GetType() == typeof(TryOnException) && error.Status is (>= 200 and <= 299) or >= 500,
    };
}
