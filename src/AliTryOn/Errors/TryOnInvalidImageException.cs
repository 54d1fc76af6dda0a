using System;

namespace AliTryOn;

/// <summary>An image does not meet the service's rules (service code 23500007): 400 to 4096 pixels a side, a common format, and for the model photo one upright person facing the camera and filling two thirds of the frame.</summary>
public sealed class TryOnInvalidImageException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnInvalidImageException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>.</summary>
    public override bool IsRetryable => false;
}
