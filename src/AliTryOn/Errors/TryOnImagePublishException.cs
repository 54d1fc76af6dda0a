using System;

namespace AliTryOn;

/// <summary>
/// The image host failed to publish a local image of a task (the storage refused the upload, could not be reached, or
/// returned an unusable URL). Nothing was submitted and nothing billed, so it is safe to submit again; images already
/// published for the submit were deleted when cleanup is on.
/// </summary>
public sealed class TryOnImagePublishException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The sentence for a person; it names the image, never a storage credential.</param>
    /// <param name="innerException">The storage's error.</param>
    public TryOnImagePublishException(string message, Exception? innerException = null)
        : base(message, details: null, innerException)
    {
    }

    /// <summary>Always <see langword="true"/>: the storage may accept the image a moment later, and nothing was billed.</summary>
    public override bool IsRetryable => true;
}
