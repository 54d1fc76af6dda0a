using System;

namespace AliTryOn;

/// <summary>
/// The service could not be reached, after the retries the call allows: a connection that could not be made, or, for
/// a query, one that broke. A submit that fails this way created no job (otherwise
/// <see cref="TryOnSubmitOutcomeUnknownException"/> is raised).
/// </summary>
public sealed class TryOnConnectionException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The transport's error.</param>
    public TryOnConnectionException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="true"/>: the network or the service may be back later.</summary>
    public override bool IsRetryable => true;
}
