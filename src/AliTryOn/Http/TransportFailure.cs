using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace AliTryOn.Http;

/// <summary>Tells transport failures that prove the request never reached the service from those that do not.</summary>
internal static class TransportFailure
{
    /// <summary>
    /// Whether the failure happened before the request was sent: the connection (or its TLS handshake, or the name
    /// lookup) could not be made. Anything else (a reset, a response cut off) may follow a processed request.
    /// </summary>
    public static bool IsBeforeSend(Exception exception)
    {
        if (exception is not HttpRequestException httpError)
        {
            return false;
        }

#if NET8_0_OR_GREATER
        if (httpError.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return true;
        }

        if (httpError.HttpRequestError != HttpRequestError.Unknown)
        {
            return false;
        }
#endif

        // Older runtimes say it only through the exception underneath a failed connect: a socket error directly (.NET
        // Core), or a WebException (.NET Framework's HttpClientHandler), whatever it wraps. A socket error further down,
        // under an IOException, is a connection that broke while in use: the request may have gone out.
        return httpError.InnerException switch
        {
            SocketException socket => socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable or SocketError.TryAgain or SocketError.AddressNotAvailable,
            WebException web => web.Status is WebExceptionStatus.ConnectFailure or WebExceptionStatus.NameResolutionFailure
                or WebExceptionStatus.ProxyNameResolutionFailure or WebExceptionStatus.SecureChannelFailure or WebExceptionStatus.TrustFailure,
            _ => false,
        };
    }
}
