using System;

namespace AliTryOn;

/// <summary>
/// The request was throttled: service code 23500004, HTTP 429, or the gateway's
/// <c>Throttled by USER|APP|API|DOMAIN Flow Control</c>. The request did not create a job.
/// </summary>
public sealed class TryOnThrottledException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnThrottledException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>How long the server asked the client to wait (its <c>Retry-After</c> header), or <see langword="null"/> when it did not say.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Always <see langword="true"/>: the same call may succeed later.</summary>
    public override bool IsRetryable => true;
}
