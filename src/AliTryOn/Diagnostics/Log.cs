using Microsoft.Extensions.Logging;

namespace AliTryOn.Diagnostics;

/// <summary>The client's log messages: source-generated, with stable event ids. None carries a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 1001,
        Level = LogLevel.Warning,
        Message = "Removed {HandlerType} from the HTTP client {ClientName}: TryOnClient has its own resilience pipeline, which never retries a submit that may have been billed; a second retry layer would.")]
    public static partial void ForeignResilienceRemoved(ILogger logger, string handlerType, string clientName);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Sending HTTP {Method} {Uri}")]
    public static partial void HttpRequestStart(ILogger logger, string method, System.Uri? uri);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Received HTTP {StatusCode} for {Method} {Uri} after {ElapsedMilliseconds} ms")]
    public static partial void HttpRequestStop(ILogger logger, string method, System.Uri? uri, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "HTTP {Method} {Uri} failed after {ElapsedMilliseconds} ms")]
    public static partial void HttpRequestFailed(ILogger logger, string method, System.Uri? uri, double elapsedMilliseconds, System.Exception exception);
}
