using System;
using System.Globalization;
using System.Threading.Tasks;
using AliTryOn.AspNetCore.Diagnostics;
using AliTryOn.AspNetCore.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AliTryOn.AspNetCore.Routing;

/// <summary>
/// Serves <c>GET</c> and <c>HEAD</c> of <c>{Path}/{**key}</c>, in this order: a malformed key is 404 (nothing is looked
/// up); a missing, malformed or wrong signature is 403, and so is an expired URL (checked on the app's clock); a signed
/// key with no image (never published, deleted, or expired from the cache) is 404; otherwise 200 with the image. Refusals
/// have an empty body and say nothing of why; the reason goes to the log at Debug.
/// </summary>
internal sealed class AppImageEndpoint(AppImageHost host)
{
    /// <summary>The route value that holds the key.</summary>
    internal const string KeyRouteValue = "key";

    /// <summary>The largest Unix time a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59Z).</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var key = request.RouteValues[KeyRouteValue] as string;
        if (!ImageKey.TryParse(key, out var contentType))
        {
            Refuse(context, StatusCodes.Status404NotFound, "the path is not an image key");
            return;
        }

        if (!TryGetSingle(request.Query, "expires", out var expiresText) || !TryGetSingle(request.Query, "sig", out var signature))
        {
            Refuse(context, StatusCodes.Status403Forbidden, "no signature, or no expiry");
            return;
        }

        // Digits only, as the host writes them (no sign, no leading zero), so one expiry has one spelling.
        if (!long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > MaxUnixSeconds
            || expires.ToString(CultureInfo.InvariantCulture) != expiresText
            || !host.Signer.Verify(key!, expires, signature))
        {
            Refuse(context, StatusCodes.Status403Forbidden, "the signature does not match");
            return;
        }

        var until = DateTimeOffset.FromUnixTimeSeconds(expires);
        var now = host.TimeProvider.GetUtcNow();
        if (until < now)
        {
            Refuse(context, StatusCodes.Status403Forbidden, "the URL has expired");
            return;
        }

        byte[]? content;
        try
        {
            content = await host.Store.ReadAsync(key!, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The type only: a cache's message may quote its connection string.
            Log.ReadFailed(host.Logger, key!, host.Store.Description, exception.GetType().Name);
            Refuse(context, StatusCodes.Status503ServiceUnavailable, "the storage failed");
            return;
        }

        if (content is null)
        {
            Refuse(context, StatusCodes.Status404NotFound, "no image under this key (never published, deleted, or expired)");
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"private, max-age={(long)(until - now).TotalSeconds}");
        response.Headers.XContentTypeOptions = "nosniff";
        Log.Served(host.Logger, key!, content.Length, request.Method);
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>A status with an empty body (so status-code pages add nothing either) that no cache keeps.</summary>
    private void Refuse(HttpContext context, int statusCode, string reason)
    {
        Log.Refused(host.Logger, statusCode, reason);
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentLength = 0;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    private static bool TryGetSingle(IQueryCollection query, string name, out string value)
    {
        StringValues values = query[name];
        value = values.Count == 1 ? values[0] ?? string.Empty : string.Empty;
        return value.Length > 0;
    }
}
