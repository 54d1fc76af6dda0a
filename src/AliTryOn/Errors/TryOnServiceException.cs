using System;

namespace AliTryOn;

/// <summary>The service or its gateway failed (service code 23500000, HTTP 5xx, or a gateway answer such as <c>Internal Error</c>, <c>Service Unavailable</c> or <c>Async Service</c>).</summary>
public sealed class TryOnServiceException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnServiceException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="true"/>: such failures are usually transient.</summary>
    public override bool IsRetryable => true;
}
