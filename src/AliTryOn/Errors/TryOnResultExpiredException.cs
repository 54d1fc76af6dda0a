using System;

namespace AliTryOn;

/// <summary>
/// The storage host refused a result link (HTTP 401, 403 or 410): it has expired, most likely, or its signature is no
/// longer accepted. Result links are short-lived, signed object-storage URLs; download results as soon as the job
/// completes, or query the job again for fresh links.
/// </summary>
public sealed class TryOnResultExpiredException : TryOnDownloadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response: its status and the storage host's error code and message.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnResultExpiredException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>
    /// When the link said it expires (its <c>Expires</c>, <c>x-oss-date</c>/<c>x-oss-expires</c> or
    /// <c>X-Amz-Date</c>/<c>X-Amz-Expires</c> query parameters), or <see langword="null"/> when it does not say.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Always <see langword="false"/>: the same link is refused again; get a fresh one.</summary>
    public override bool IsRetryable => false;
}
