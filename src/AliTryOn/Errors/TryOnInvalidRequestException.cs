using System;

namespace AliTryOn;

/// <summary>The service rejected the request as malformed (service codes 23500009, 23500012, 23500013, 23500014, HTTP 400, or a gateway parameter error).</summary>
public sealed class TryOnInvalidRequestException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnInvalidRequestException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>.</summary>
    public override bool IsRetryable => false;
}
