using System;

namespace AliTryOn.Errors;

/// <summary>Creates the exception of an error family, with a message built only from what the response said.</summary>
internal static class TryOnExceptionFactory
{
    /// <param name="kind">The error family; its exception type.</param>
    /// <param name="details">What the response said.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, for <see cref="TryOnThrottledException"/>.</param>
    /// <param name="location">The answer's <c>Location</c>, for <see cref="TryOnRedirectException"/>.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <param name="note">A sentence on how the call ended, after the family's summary; optional.</param>
    public static TryOnException Create(TryOnErrorKind kind, TryOnErrorDetails details, TimeSpan? retryAfter = null, Uri? location = null, Exception? innerException = null, string? note = null)
    {
        var message = FormatMessage(note is null ? Summary(kind) : Summary(kind) + " " + note, details);
        return kind switch
        {
            TryOnErrorKind.Authentication => new TryOnAuthenticationException(message, details, innerException),
            TryOnErrorKind.OperationNotSupported => new TryOnOperationNotSupportedException(message, details, innerException),
            TryOnErrorKind.QuotaExceeded => new TryOnQuotaExceededException(message, details, innerException),
            TryOnErrorKind.Throttled => new TryOnThrottledException(message, details, innerException) { RetryAfter = retryAfter },
            TryOnErrorKind.ContentRejected => new TryOnContentRejectedException(message, details, innerException),
            TryOnErrorKind.ImageUnreachable => new TryOnImageUnreachableException(message, details, innerException),
            TryOnErrorKind.InvalidImage => new TryOnInvalidImageException(message, details, innerException),
            TryOnErrorKind.JobNotFound => new TryOnJobNotFoundException(message, details, innerException),
            TryOnErrorKind.InvalidRequest => new TryOnInvalidRequestException(message, details, innerException),
            TryOnErrorKind.JobFailed => new TryOnJobFailedException(message, details, innerException),
            TryOnErrorKind.Service => new TryOnServiceException(message, details, innerException),
            TryOnErrorKind.Redirect => new TryOnRedirectException(message, details, innerException) { Location = location },
            _ => new TryOnException(message, details, innerException),
        };
    }

    internal static string Summary(TryOnErrorKind kind) => kind switch
    {
        TryOnErrorKind.Authentication => "Authentication failed: check the AppCode (or the AppKey and AppSecret), and that requests pass through TryOnAuthenticationHandler (or TryOnSignatureHandler).",
        TryOnErrorKind.OperationNotSupported => "The endpoint does not offer this operation: check the configured Endpoint.",
        TryOnErrorKind.QuotaExceeded => "The account's credit or quota is used up or expired.",
        TryOnErrorKind.Throttled => "The request was throttled; try again later.",
        TryOnErrorKind.ContentRejected => "An image did not pass the service's content moderation.",
        TryOnErrorKind.ImageUnreachable => "The service could not download an image: check that every URL is well formed and publicly reachable.",
        TryOnErrorKind.InvalidImage => "An image does not meet the service's requirements (400-4096 px a side; one upright person facing the camera).",
        TryOnErrorKind.JobNotFound => "No job was found for the result key.",
        TryOnErrorKind.InvalidRequest => "The service rejected the request as invalid.",
        TryOnErrorKind.JobFailed => "The try-on job failed.",
        TryOnErrorKind.Service => "The try-on service failed to handle the request.",
        TryOnErrorKind.Redirect => "The endpoint answered with a redirect, which the client does not follow so that the AppCode never reaches another host: check the configured Endpoint.",
        _ => "The try-on service returned an error the client does not recognise.",
    };

    /// <summary>The summary, then what the response said: status, codes, messages and request id.</summary>
    internal static string FormatMessage(string summary, TryOnErrorDetails details)
    {
        var builder = new System.Text.StringBuilder(summary);
        builder.Append(" (");
        var first = true;
        void Part(string label, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            builder.Append(first ? string.Empty : "; ").Append(label).Append(value);
            first = false;
        }

        Part("HTTP ", details.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Part("code ", details.ErrorCode);
        Part("message: ", details.ErrorMessage);
        Part("gateway code ", details.GatewayErrorCode);
        Part("gateway message: ", details.GatewayErrorMessage);
        Part("request id ", details.RequestId);
        if (first)
        {
            builder.Length -= 2;
            return builder.ToString();
        }

        return builder.Append(").").ToString();
    }
}
