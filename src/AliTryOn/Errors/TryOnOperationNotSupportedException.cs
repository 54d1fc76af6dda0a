using System;

namespace AliTryOn;

/// <summary>The endpoint does not offer the operation (service code 23500002, HTTP 404, or a gateway answer such as <c>API Not Found</c>, <c>Invalid Url</c> or <c>Invalid Domain</c>). Check <see cref="TryOnClientOptions.Endpoint"/>.</summary>
public sealed class TryOnOperationNotSupportedException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnOperationNotSupportedException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>.</summary>
    public override bool IsRetryable => false;
}
