using System;

namespace AliTryOn;

/// <summary>
/// The endpoint answered with a redirect (HTTP 3xx). The client never follows redirects, so that the AppCode cannot
/// travel to another host; check <see cref="TryOnClientOptions.Endpoint"/> (scheme, host and path).
/// </summary>
public sealed class TryOnRedirectException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnRedirectException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>Where the endpoint redirected to (its <c>Location</c> header), or <see langword="null"/>.</summary>
    public Uri? Location { get; init; }

    /// <summary>Always <see langword="false"/>: the configuration needs fixing.</summary>
    public override bool IsRetryable => false;
}
