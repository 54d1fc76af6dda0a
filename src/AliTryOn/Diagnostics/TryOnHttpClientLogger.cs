using System;
using System.Net.Http;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Diagnostics;

/// <summary>
/// Logs the try-on client's HTTP calls (method, address, status, duration) and never a header. It replaces
/// <c>IHttpClientFactory</c>'s default loggers on this client, whose Trace header logs redact only their message
/// text: the structured values still carry <c>Authorization</c> (the AppCode) and the nonce. Addresses are logged
/// without their query string: a result link's carries its signature.
/// </summary>
internal sealed class TryOnHttpClientLogger(ILogger logger) : IHttpClientLogger
{
    /// <summary>The log category of the client's HTTP calls.</summary>
    public const string Category = "AliTryOn.Http";

    public object? LogRequestStart(HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpRequestStart(logger, request.Method.Method, UrlDisplay.Safe(request.RequestUri));
        }

        return null;
    }

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpRequestStop(logger, request.Method.Method, UrlDisplay.Safe(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpRequestFailed(logger, request.Method.Method, UrlDisplay.Safe(request.RequestUri), elapsed.TotalMilliseconds, exception);
        }
    }
}
