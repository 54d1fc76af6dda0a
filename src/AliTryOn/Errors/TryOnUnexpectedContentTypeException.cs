using System;

namespace AliTryOn;

/// <summary>
/// A result link answered with something other than an image: its <c>Content-Type</c> is not <c>image/*</c> (an HTML
/// error page from a proxy, say). Nothing was written.
/// </summary>
public sealed class TryOnUnexpectedContentTypeException : TryOnDownloadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnUnexpectedContentTypeException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>The media type received (for example <c>text/html</c>), or <see langword="null"/> when the response named none.</summary>
    public string? ContentType { get; init; }

    /// <summary>Always <see langword="false"/>: the link does not lead to an image.</summary>
    public override bool IsRetryable => false;
}
