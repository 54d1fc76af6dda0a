using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using Polly.RateLimiting;
using Polly.Timeout;

namespace AliTryOn.Http;

/// <summary>
/// Turns a failed call into the exception its operation calls for. For a submit, anything that leaves open whether
/// the service created (and billed) a job becomes <see cref="TryOnSubmitOutcomeUnknownException"/>.
/// </summary>
internal static class TryOnFailureTranslator
{
    /// <summary>The exception to throw instead, or <see langword="null"/> to let <paramref name="exception"/> through.</summary>
    public static TryOnException? Translate(
        Exception exception,
        TryOnOperation operation,
        HttpRequestMessage request,
        IReadOnlyList<TryOnTask>? tasks,
        DateTimeOffset sentAt,
        CancellationToken cancellationToken)
    {
        var submit = operation == TryOnOperation.Submit;
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null; // the caller's own cancellation stays an OperationCanceledException
            case TimeoutRejectedException timeout:
                return submit
                    ? Unknown("did not answer in time", null, timeout)
                    : new TryOnTimeoutException($"The try-on service did not answer within {timeout.Timeout} (AttemptTimeout or TotalTimeout of TryOnClientOptions).", null, timeout);
            case RateLimiterRejectedException limited:
                return new TryOnThrottledException(
                    "The client-side rate limit (TryOnClientOptions.RateLimit) has more calls waiting than its QueueLimit; the call was not sent.",
                    null,
                    limited)
                {
                    RetryAfter = limited.RetryAfter,
                };
            case HttpRequestException transport when submit && !TransportFailure.IsBeforeSend(transport):
                return Unknown("lost its connection after the request was sent", null, transport);
            case HttpRequestException transport:
                return new TryOnConnectionException($"The try-on service could not be reached: {transport.Message}", null, transport);
            case TryOnException service when submit && LeavesJobInDoubt(service):
                return Unknown(
                    service.Status >= 500 ? $"was answered with HTTP {service.Status}" : "was answered with a success the client could not read",
                    service.Details,
                    service);
            default:
                return null;
        }

        // The local function below builds the exception with everything known about the attempt.
        TryOnSubmitOutcomeUnknownException Unknown(string what, TryOnErrorDetails? details, Exception inner) =>
            new($"The submit {what}, so it is unknown whether the service created (and billed) the job. It was not retried; resubmitting may create a duplicate. {inner.Message}", details, inner)
            {
                ResultKey = (inner as TryOnInvalidResponseException)?.ResultKey,
                Tasks = tasks ?? [],
                SentAt = sentAt,
                Nonce = request.Headers.TryGetValues(TryOnAuthenticationHandler.NonceHeader, out var nonces) ? nonces.LastOrDefault() : null,
            };
    }

    /// <summary>
    /// Whether an answer to a submit leaves open if a job was created: a server error (5xx) not naming a rejection,
    /// or a success status whose body could not be read. A rejection (throttled, invalid…) created none.
    /// </summary>
    private static bool LeavesJobInDoubt(TryOnException error) => error switch
    {
        TryOnServiceException => true,
        TryOnInvalidResponseException => error.Status is >= 200 and <= 299,
        _ => error.GetType() == typeof(TryOnException) && error.Status >= 500,
    };
}
