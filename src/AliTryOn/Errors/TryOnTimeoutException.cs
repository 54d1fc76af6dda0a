using System;

namespace AliTryOn;

/// <summary>
/// A call did not complete within <see cref="TryOnClientOptions.AttemptTimeout"/> on its last attempt, or within
/// <see cref="TryOnClientOptions.TotalTimeout"/> in all. For a submit, this means it was never sent (it ran out of time
/// waiting, for a permit of the client-side rate limit say): no job was created. A submit that times out after it was
/// sent raises <see cref="TryOnSubmitOutcomeUnknownException"/> instead.
/// </summary>
public sealed class TryOnTimeoutException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The timeout that fired.</param>
    public TryOnTimeoutException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="true"/>.</summary>
    public override bool IsRetryable => true;
}
