using System;
using Microsoft.Extensions.Logging;

namespace AliTryOn.AspNetCore.Diagnostics;

/// <summary>
/// The app image host's log messages: source-generated, with stable event ids (5xxx). None carries the signing key or
/// a URL's signature; keys, which are useless without a signature, appear at Debug.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Published image {Key} ({Length} bytes) in {Storage}; its URL works until {ExpiresAt}")]
    public static partial void Published(ILogger logger, string key, int length, string storage, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Deleted image {Key}")]
    public static partial void Deleted(ILogger logger, string key);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Served image {Key} ({Length} bytes) to a {Method} request")]
    public static partial void Served(ILogger logger, string key, int length, string method);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Refused an image request with {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Could not read image {Key} from {Storage}: {ExceptionType}; answered 503")]
    public static partial void ReadFailed(ILogger logger, string key, string storage, string exceptionType);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Swept {Count} expired image files from the image folder")]
    public static partial void Swept(ILogger logger, int count);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Could not sweep expired images from the image folder: {ExceptionType}")]
    public static partial void SweepFailed(ILogger logger, string exceptionType);
}
