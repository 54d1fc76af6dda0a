using System;

namespace AliTryOn;

/// <summary>
/// Authentication failed (service code 23500001, HTTP 401, or a gateway answer such as <c>Invalid AppCode</c>,
/// <c>Unauthorized</c> or <c>Nonce Used</c>, or in the signing mode <c>Invalid AppKey</c>, <c>Invalid Signature</c>,
/// <c>Timestamp Expired</c>, <c>Invalid Content-MD5</c> or <c>Empty Signature</c>). Check the AppCode (or the AppKey and
/// AppSecret) and that requests pass through <see cref="TryOnAuthenticationHandler"/> (or <see cref="TryOnSignatureHandler"/>).
/// For <c>Invalid Signature</c>, <see cref="TryOnErrorDetails.GatewayErrorMessage"/> holds the gateway's own string to
/// sign, line breaks shown as <c>#</c> and the nonce masked, to compare with the client's.
/// </summary>
public sealed class TryOnAuthenticationException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnAuthenticationException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Always <see langword="false"/>: the same credentials fail again.</summary>
    public override bool IsRetryable => false;
}
