using System;

namespace AliTryOn;

/// <summary>No job is known for the result key (service code 23500008).</summary>
public sealed class TryOnJobNotFoundException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnJobNotFoundException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>.</summary>
    public override bool IsRetryable => false;
}
