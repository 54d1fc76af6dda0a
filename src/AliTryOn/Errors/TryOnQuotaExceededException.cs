using System;

namespace AliTryOn;

/// <summary>The account cannot pay for the call: credit exhausted (service code 23500003) or the gateway's <c>Quota Exhausted</c>, <c>Quota Expired</c>, <c>User Arrears</c> or <c>Expiry of Authorization</c>. Buy or renew a resource pack.</summary>
public sealed class TryOnQuotaExceededException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnQuotaExceededException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>: retrying cannot help until the account is topped up.</summary>
    public override bool IsRetryable => false;
}
