using System;

namespace AliTryOn;

/// <summary>
/// The response could not be read: a success with an empty, non-JSON or incomplete body (no result key), or a body
/// larger than the client accepts (1 MiB), or a result link the client cannot download (not an absolute http(s) URL).
/// <see cref="TryOnException.ResultKey"/> names the job when the body still did. For a submit with a success status,
/// the job may exist: <see cref="TryOnSubmitOutcomeUnknownException"/> is raised instead.
/// </summary>
public sealed class TryOnInvalidResponseException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response.</param>
    /// <param name="innerException">The parse error, if any.</param>
    public TryOnInvalidResponseException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }
}
