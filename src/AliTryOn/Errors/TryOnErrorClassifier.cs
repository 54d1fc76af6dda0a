using System;
using System.Globalization;

namespace AliTryOn.Errors;

/// <summary>
/// Decides the family of a failed response from its HTTP status, the body's <c>code</c> and the gateway's
/// <c>X-Ca-Error-Message</c>. A pure function, so the response mapper and the retry policy agree on it.
/// </summary>
internal static class TryOnErrorClassifier
{
    /// <summary>
    /// Precedence: a known body code wins; then a known gateway message; then an unknown non-zero body code
    /// (kept as <see cref="TryOnErrorKind.Unknown"/>); then the HTTP status.
    /// </summary>
    public static TryOnErrorKind Classify(int httpStatus, string? serviceCode, string? gatewayMessage)
    {
        var fromCode = FromServiceCode(serviceCode);
        if (fromCode != TryOnErrorKind.Unknown)
        {
            return fromCode;
        }

        var fromGateway = FromGatewayMessage(gatewayMessage);
        if (fromGateway != TryOnErrorKind.Unknown)
        {
            return fromGateway;
        }

        if (!IsSuccessCode(serviceCode))
        {
            // The service said something we do not know: keep it, do not guess from the status.
            return TryOnErrorKind.Unknown;
        }

        return FromHttpStatus(httpStatus);
    }

    /// <summary>
    /// Whether a body <c>code</c> means success: absent, empty, or numerically zero in any form a JSON writer prints it
    /// (<c>0</c>, <c>"0"</c>, <c>0.0</c>, <c>0e0</c>, <c>-0</c>).
    /// </summary>
    public static bool IsSuccessCode(string? serviceCode)
    {
        if (string.IsNullOrWhiteSpace(serviceCode))
        {
            return true;
        }

        // The integer form first: the one every answer of the service has.
        var text = serviceCode!.Trim();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)
            ? whole == 0
            : decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == 0;
    }

    /// <summary>
    /// A body <c>code</c> as the service's table writes it: a whole number in another JSON form (<c>23500004.0</c>,
    /// <c>2.3500004E7</c>) becomes its integer text; anything else stays as it is, trimmed.
    /// </summary>
    private static string? TableForm(string? serviceCode)
    {
        var text = serviceCode?.Trim();
        return text is not null
            && !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number)
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : text;
    }

    internal static TryOnErrorKind FromServiceCode(string? serviceCode) => TableForm(serviceCode) switch
    {
        "23500000" => TryOnErrorKind.Service,
        "23500001" => TryOnErrorKind.Authentication,
        "23500002" => TryOnErrorKind.OperationNotSupported,
        "23500003" => TryOnErrorKind.QuotaExceeded,
        "23500004" => TryOnErrorKind.Throttled,
        "23500005" => TryOnErrorKind.ContentRejected,
        "23500006" => TryOnErrorKind.ImageUnreachable,
        "23500007" => TryOnErrorKind.InvalidImage,
        "23500008" => TryOnErrorKind.JobNotFound,
        "23500009" or "23500012" or "23500013" or "23500014" => TryOnErrorKind.InvalidRequest,
        "23500011" => TryOnErrorKind.JobFailed,
        _ => TryOnErrorKind.Unknown,
    };

    internal static TryOnErrorKind FromGatewayMessage(string? gatewayMessage)
    {
        if (string.IsNullOrWhiteSpace(gatewayMessage))
        {
            return TryOnErrorKind.Unknown;
        }

        var message = gatewayMessage!.Trim();
        if (message.StartsWith("Throttled by ", StringComparison.OrdinalIgnoreCase))
        {
            return TryOnErrorKind.Throttled;
        }

        if (message.StartsWith("Invalid AppCode", StringComparison.OrdinalIgnoreCase)
            || message.StartsWith("Invalid Signature", StringComparison.OrdinalIgnoreCase))
        {
            return TryOnErrorKind.Authentication;
        }

        return message.ToUpperInvariant() switch
        {
            // The signing mode's refusals too: a wrong Content-MD5 is the signer's failure, like a wrong signature.
            "UNAUTHORIZED" or "INVALID APPKEY" or "INVALID APPSECRET" or "EMPTY SIGNATURE" or "NONCE USED"
                or "TIMESTAMP EXPIRED" or "INVALID TIMESTAMP" or "INVALID CONTENT-MD5" => TryOnErrorKind.Authentication,
            "QUOTA EXHAUSTED" or "QUOTA EXPIRED" or "USER ARREARS" or "EXPIRY OF AUTHORIZATION" => TryOnErrorKind.QuotaExceeded,
            "API NOT FOUND" or "INVALID URL" or "INVALID DOMAIN" => TryOnErrorKind.OperationNotSupported,
            "INVALID PARAM LOCATION" => TryOnErrorKind.InvalidRequest,
            "INTERNAL ERROR" or "FAILED TO INVOKE BACKEND SERVICE" or "SERVICE UNAVAILABLE" or "ASYNC SERVICE" => TryOnErrorKind.Service,
            _ => TryOnErrorKind.Unknown,
        };
    }

    internal static TryOnErrorKind FromHttpStatus(int httpStatus) => httpStatus switch
    {
        >= 300 and <= 399 => TryOnErrorKind.Redirect,
        400 or 413 or 415 => TryOnErrorKind.InvalidRequest,
        401 => TryOnErrorKind.Authentication,
        404 or 405 => TryOnErrorKind.OperationNotSupported,
        429 => TryOnErrorKind.Throttled,
        >= 500 and <= 599 => TryOnErrorKind.Service,
        _ => TryOnErrorKind.Unknown,
    };
}
