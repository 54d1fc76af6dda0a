using System;

namespace AliTryOn;

/// <summary>
/// A result image could not be downloaded from the storage host. Subtypes name the cases a caller can act on:
/// <see cref="TryOnResultExpiredException"/> (the link was refused), <see cref="TryOnDownloadTooLargeException"/> and
/// <see cref="TryOnUnexpectedContentTypeException"/>. This type itself covers the rest, such as HTTP 404 or a 5xx that
/// outlasted the retries.
/// </summary>
/// <remarks>
/// Messages name the result's address without its query string, which carries the link's signature. Failures shared
/// with the service's calls keep their own types: <see cref="TryOnConnectionException"/>,
/// <see cref="TryOnTimeoutException"/>, <see cref="TryOnThrottledException"/> and <see cref="TryOnRedirectException"/>.
/// </remarks>
public class TryOnDownloadException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response: its status and the storage host's error code and message.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnDownloadException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }
}
