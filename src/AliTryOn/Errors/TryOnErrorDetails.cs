namespace AliTryOn;

/// <summary>
/// What is known about a failed call: the HTTP status, the service's error code and message, the API gateway's
/// error headers, the request id and the start of the response body. Never holds request headers or credentials.
/// </summary>
/// <remarks>Every property is optional, so tests can build exactly the details they need.</remarks>
public sealed record TryOnErrorDetails
{
    /// <summary>An instance with nothing known, used for errors raised before any response was received.</summary>
    public static TryOnErrorDetails None { get; } = new();

    /// <summary>The HTTP status code of the response, or <see langword="null"/> when there was no response.</summary>
    public int? Status { get; init; }

    /// <summary>The service's error code from the body's <c>code</c> field (for example <c>23500004</c>), as sent.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The service's error description from the body's <c>message</c> field.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>
    /// The id of the request in the vendor's system: the body's <c>requestId</c>, else the gateway's
    /// <c>X-Ca-Request-Id</c> header. Quote it in support cases.
    /// </summary>
    public string? RequestId { get; init; }

    /// <summary>The API gateway's <c>X-Ca-Error-Code</c> header (for example <c>I400HD</c>), when present.</summary>
    public string? GatewayErrorCode { get; init; }

    /// <summary>The API gateway's <c>X-Ca-Error-Message</c> header (for example <c>Throttled by APP Flow Control</c>), when present.</summary>
    public string? GatewayErrorMessage { get; init; }

    /// <summary>At most the first 1 KiB of the response body, decoded as UTF-8; ends with <c>…</c> when cut.</summary>
    public string? RawBody { get; init; }
}
