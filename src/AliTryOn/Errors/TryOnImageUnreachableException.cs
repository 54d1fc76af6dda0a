using System;

namespace AliTryOn;

/// <summary>The service could not download an image: its URL is malformed or not publicly reachable (service code 23500006).</summary>
public sealed class TryOnImageUnreachableException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnImageUnreachableException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>.</summary>
    public override bool IsRetryable => false;
}
