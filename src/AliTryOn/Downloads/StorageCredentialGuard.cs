using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Downloads;

/// <summary>
/// The innermost handler of the downloads client, just before the transport: whatever a handler added on the way
/// (an app-wide one, say), no <c>Authorization</c> and no gateway header (<c>X-Ca-*</c>: nonce, key, signature) leaves
/// for the storage host or a host it redirects to. The downloads client has no authentication handler; this makes
/// sure of it, on every request and every redirect.
/// </summary>
internal sealed class StorageCredentialGuard : DelegatingHandler
{
    /// <summary>The prefix of the API gateway's headers.</summary>
    public const string GatewayHeaderPrefix = "X-Ca-";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Strip(request);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Removes credentials from the request's headers and its content's.</summary>
    public static void Strip(HttpRequestMessage request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        request.Headers.Remove("Authorization");
        Strip(request.Headers);
        if (request.Content is { } content)
        {
            Strip(content.Headers);
        }
    }

    private static void Strip(HttpHeaders headers)
    {
        List<string>? gateway = null;
        foreach (var header in headers)
        {
            if (header.Key.StartsWith(GatewayHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                (gateway ??= []).Add(header.Key);
            }
        }

        if (gateway is not null)
        {
            foreach (var name in gateway)
            {
                headers.Remove(name);
            }
        }
    }
}
