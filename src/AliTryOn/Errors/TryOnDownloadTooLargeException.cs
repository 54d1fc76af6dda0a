using System;

namespace AliTryOn;

/// <summary>
/// A result image is larger than <see cref="TryOnDownloadOptions.MaxBytes"/>: its <c>Content-Length</c> said so, or
/// more bytes than that arrived. The download stopped there and nothing was written.
/// </summary>
public sealed class TryOnDownloadTooLargeException : TryOnDownloadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnDownloadTooLargeException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>The limit that was exceeded, in bytes (<see cref="TryOnDownloadOptions.MaxBytes"/>).</summary>
    public long MaxBytes { get; init; }

    /// <summary>The size the response declared (<c>Content-Length</c>), or <see langword="null"/> when it declared none.</summary>
    public long? ContentLength { get; init; }

    /// <summary>Always <see langword="false"/>: raise the limit to accept the image.</summary>
    public override bool IsRetryable => false;
}
