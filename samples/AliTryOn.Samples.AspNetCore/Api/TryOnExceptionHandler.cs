using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>
/// The one place where failures of the try-on service become HTTP answers: each <see cref="TryOnException"/>
/// family gets the status that tells this app's caller what to do, as <c>application/problem+json</c>.
/// </summary>
internal sealed partial class TryOnExceptionHandler(IProblemDetailsService problemDetails, ILogger<TryOnExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Suggested when the service throttles without saying for how long.</summary>
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (ToProblem(exception) is not { } problem)
        {
            return false; // anything else is a bug: the default 500
        }

        if (problem.Status >= 500)
        {
            // The caller learns little (it is not their fault); the log keeps the detail and the service's request id.
            LogUpstreamFailure(logger, exception, (exception as TryOnException)?.RequestId);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (exception is TryOnThrottledException throttled)
        {
            var seconds = Math.Ceiling((throttled.RetryAfter ?? DefaultRetryAfter).TotalSeconds);
            httpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The answer for <paramref name="exception"/>, or <see langword="null"/> when it is not one this handler knows.</summary>
    internal static ProblemDetails? ToProblem(Exception exception)
    {
        var problem = exception switch
        {
            // JSON that does not parse (a trailing comma, a body cut off): the reader's own error is inside.
            BadHttpRequestException { InnerException: JsonException { InnerException: JsonException syntax } } =>
                Problem(StatusCodes.Status400BadRequest, "Malformed request", $"The body is not valid JSON ({FirstSentence(syntax.Message)}): send the try-on request as application/json."),

            // A value of the wrong type (for example "kind": "Folded"): where, in the request's own terms.
            BadHttpRequestException { InnerException: JsonException { Path: { Length: > 2 } path } } =>
                Invalid(path[2..], $"The value at {path[2..]} is not valid: see the request's format in the OpenAPI document (/openapi/v1.json)."),
            BadHttpRequestException { InnerException: JsonException } =>
                Problem(StatusCodes.Status400BadRequest, "Malformed request", "The body is not JSON: send the try-on request as application/json."),
            // Mostly a body that is empty or null; the framework's own words ("Did you mean to use a Service
            // instead?") are for the app's developer, not for its caller.
            BadHttpRequestException e => Problem(e.StatusCode, "Malformed request",
                """The request has no try-on request in it: send a JSON body such as { "tasks": [ { "modelImage": "https://…", "upper": { "image": "https://…" } } ] } with Content-Type: application/json (see /openapi/v1.json)."""),

            TryOnThrottledException => Problem(StatusCodes.Status429TooManyRequests, "The try-on service is busy", "Try again after the time in the Retry-After header."),
            TryOnQuotaExceededException => Problem(StatusCodes.Status402PaymentRequired, "Try-on credit exhausted", "This app's try-on account has no credit left."),

            // The service refused the input: the caller can fix it, and the service's message says how.
            TryOnContentRejectedException or TryOnImageUnreachableException or TryOnInvalidImageException or TryOnInvalidRequestException =>
                Problem(StatusCodes.Status422UnprocessableEntity, "The try-on service refused the images", exception.Message),

            TryOnJobNotFoundException => Problem(StatusCodes.Status404NotFound, "Unknown try-on job", "The try-on service has no job with this result key."),

            // This app's own configuration is wrong: say so without details (they are in the log).
            TryOnAuthenticationException or TryOnOperationNotSupportedException =>
                Problem(StatusCodes.Status502BadGateway, "The try-on service refused this app", "The app's try-on credentials or endpoint are misconfigured."),

            // The job may exist, and be billed, though its key never came: a caller that submits again may pay twice.
            TryOnSubmitOutcomeUnknownException => Problem(StatusCodes.Status502BadGateway, "The try-on job may have been created",
                "The try-on service's answer to the submit was lost, so it is unknown whether it created (and billed) the job. Do not submit the same request again automatically; the app's log names what is known of it."),

            TryOnException { Status: null, InnerException: OperationCanceledException } =>
                Problem(StatusCodes.Status504GatewayTimeout, "The try-on service did not answer in time", null),
            TryOnException => Problem(StatusCodes.Status502BadGateway, "The try-on service failed", null),
            HttpRequestException => Problem(StatusCodes.Status502BadGateway, "The try-on service could not be reached", null),
            _ => null,
        };

        if (problem is not null && exception is TryOnException tryOn)
        {
            // Both safe to show and useful to quote to support; the SDK never puts the AppCode in an exception.
            problem.Extensions["errorCode"] = tryOn.ErrorCode;
            problem.Extensions["serviceRequestId"] = tryOn.RequestId;
            if (tryOn is TryOnSubmitOutcomeUnknownException)
            {
                problem.Extensions["mayHaveCreatedJob"] = true;
            }
        }

        return problem;
    }

    /// <summary>The reader's message up to its first full stop: where the JSON broke, without its internal detail.</summary>
    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');

    private static ProblemDetails Problem(int status, string title, string? detail) => new() { Status = status, Title = title, Detail = detail };

    /// <summary>The same shape as the endpoint's own validation answer: <c>errors</c> keyed by the field's path.</summary>
    internal static HttpValidationProblemDetails Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = TryOnEndpoints.InvalidRequestTitle,
            Detail = message,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The try-on service failed (service request id {RequestId}).")]
    private static partial void LogUpstreamFailure(ILogger logger, Exception exception, string? requestId);
}
