using System;

namespace AliTryOn;

/// <summary>
/// The endpoint answered with a redirect (HTTP 3xx). The client never follows redirects of the service's calls, so that
/// the AppCode cannot travel to another host; check <see cref="TryOnClientOptions.Endpoint"/> (scheme, host and path).
/// A result download, which carries no credentials, follows up to 5 redirects, but never from <c>https</c> to
/// another scheme; a redirect beyond that, or one without a <c>Location</c>, raises this too.
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

    /// <summary>
    /// Where the endpoint redirected to (its <c>Location</c> header), or <see langword="null"/>. For a download, without
    /// its query string, which may carry a signature.
    /// </summary>
    public Uri? Location { get; init; }

    /// <summary>Always <see langword="false"/>: the configuration needs fixing.</summary>
    public override bool IsRetryable => false;
}
