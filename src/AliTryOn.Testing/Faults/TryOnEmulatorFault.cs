using System;
using System.Globalization;

namespace AliTryOn.Testing;

/// <summary>
/// A failure the emulator can inject into a request, as the real service or its API gateway would produce it.
/// Script faults with <see cref="TryOnEmulatorFaults"/>.
/// </summary>
/// <remarks>
/// Faults that can strike after the service has done its work (<c>afterProcessing: true</c>) let tests reproduce
/// the hard case of a submit that created, and billed, a job whose response never arrived intact.
/// </remarks>
public sealed record TryOnEmulatorFault
{
    private TryOnEmulatorFault(FaultKind kind, string description)
    {
        Kind = kind;
        Description = description;
    }

    internal enum FaultKind
    {
        ServiceError,
        GatewayError,
        Html,
        Latency,
        DroppedConnection,
        TaskFailed,
        TruncatedBody,
        NotFoundAfterSubmit,
    }

    internal FaultKind Kind { get; }

    internal string Description { get; private init; }

    internal int Status { get; private init; }

    internal int ServiceCode { get; private init; }

    internal string? Message { get; private init; }

    internal TimeSpan Delay { get; private init; }

    internal TimeSpan? RetryAfter { get; private init; }

    /// <summary>Whether the fault strikes after the request was processed (a submit's job then exists).</summary>
    public bool AfterProcessing { get; private init; }

    /// <summary>The service's throttling answer: HTTP 403 with code 23500004. The request is not processed.</summary>
    /// <param name="retryAfter">Sent as a <c>Retry-After</c> header (whole seconds, rounded up); default none.</param>
    public static TryOnEmulatorFault Throttled(TimeSpan? retryAfter = null) => ServiceError(403, 23500004).WithRetryAfter(retryAfter);

    /// <summary>The gateway's throttling answer: HTTP 403, empty body, <c>X-Ca-Error-Message: Throttled by APP Flow Control</c>.</summary>
    /// <param name="retryAfter">Sent as a <c>Retry-After</c> header (whole seconds, rounded up); default none.</param>
    public static TryOnEmulatorFault GatewayThrottled(TimeSpan? retryAfter = null) => GatewayError(403, "Throttled by APP Flow Control").WithRetryAfter(retryAfter);

    /// <summary>Credit exhausted: HTTP 403 with code 23500003.</summary>
    public static TryOnEmulatorFault QuotaExhausted() => ServiceError(403, 23500003);

    /// <summary>Content moderation rejected an image: HTTP 403 with code 23500005.</summary>
    public static TryOnEmulatorFault ContentRejected() => ServiceError(403, 23500005);

    /// <summary>An image could not be downloaded: HTTP 400 with code 23500006.</summary>
    public static TryOnEmulatorFault ImageUnreachable() => ServiceError(400, 23500006);

    /// <summary>An image does not meet the rules: HTTP 400 with code 23500007.</summary>
    public static TryOnEmulatorFault InvalidImage() => ServiceError(400, 23500007);

    /// <summary>The job failed: HTTP 500 with code 23500011.</summary>
    public static TryOnEmulatorFault JobFailed() => ServiceError(500, 23500011);

    /// <summary>Internal error: HTTP 500 with code 23500000.</summary>
    /// <param name="afterProcessing">Strike after the request was processed (a submit's job then exists).</param>
    public static TryOnEmulatorFault InternalError(bool afterProcessing = false) => ServiceError(500, 23500000) with { AfterProcessing = afterProcessing };

    /// <summary>
    /// A submit fault: the submit succeeds, and every task of the job ends <c>FAILED</c> instead of <c>SUCCESS</c>.
    /// </summary>
    public static TryOnEmulatorFault TaskFailed() => new(FaultKind.TaskFailed, "tasks end FAILED");

    /// <summary>A proxy error page: HTTP 502, 503 or 504 with an HTML body and no JSON.</summary>
    /// <param name="status">502, 503 or 504.</param>
    /// <param name="afterProcessing">Strike after the request was processed (a submit's job then exists).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not 502, 503 or 504.</exception>
    public static TryOnEmulatorFault HtmlError(int status = 502, bool afterProcessing = false)
    {
        if (status is not (502 or 503 or 504))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An HTML error page fault is 502, 503 or 504.");
        }

        return new(FaultKind.Html, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} with an HTML page"))
        {
            Status = status,
            AfterProcessing = afterProcessing,
        };
    }

    /// <summary>
    /// Any header-only gateway error: the status, an empty body and <c>X-Ca-Error-Message</c>, for example
    /// <c>GatewayError(403, "Quota Exhausted")</c> or <c>GatewayError(504, "Async Service")</c>.
    /// </summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="message">The <c>X-Ca-Error-Message</c> value.</param>
    /// <exception cref="ArgumentException"><paramref name="message"/> is empty.</exception>
    public static TryOnEmulatorFault GatewayError(int status, string message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new ArgumentException("A gateway error needs its X-Ca-Error-Message.", nameof(message));
        }

        return new(FaultKind.GatewayError, string.Create(CultureInfo.InvariantCulture, $"gateway {status} '{message}'"))
        {
            Status = status,
            Message = message,
        };
    }

    /// <summary>
    /// Any error of the service: the status and its JSON body with <paramref name="code"/>, for example
    /// <c>ServiceError(500, 23599999)</c> for a code no client knows yet. The request is not processed.
    /// </summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The body's <c>code</c>.</param>
    public static TryOnEmulatorFault ServiceError(int status, int code) =>
        new(FaultKind.ServiceError, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} code {code}"))
        {
            Status = status,
            ServiceCode = code,
        };

    /// <summary>
    /// The answer is processed (a submit's job exists) and its status and headers arrive, but the connection breaks
    /// halfway through its body. Over HTTP the connection is aborted after half the body.
    /// </summary>
    public static TryOnEmulatorFault TruncatedBody() => new(FaultKind.TruncatedBody, "body cut off halfway") { AfterProcessing = true };

    /// <summary>
    /// A submit fault: the job is created, but for <paramref name="duration"/> after the submit queries of it are
    /// answered 23500008 (no such job), as a service whose storage is eventually consistent may do.
    /// </summary>
    /// <param name="duration">How long the new job stays unknown to queries.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    public static TryOnEmulatorFault NotFoundAfterSubmit(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The time a job stays unknown must be positive.");
        }

        return new(FaultKind.NotFoundAfterSubmit, string.Create(CultureInfo.InvariantCulture, $"job unknown to queries for {duration}")) { Delay = duration };
    }

    /// <summary>Delays the response, on the emulator's clock; the request is then handled normally.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <param name="afterProcessing">Wait after the request was processed (a submit's job then exists) rather than before.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static TryOnEmulatorFault Latency(TimeSpan delay, bool afterProcessing = false)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "Latency cannot be negative.");
        }

        return new(FaultKind.Latency, string.Create(CultureInfo.InvariantCulture, $"latency {delay}"))
        {
            Delay = delay,
            AfterProcessing = afterProcessing,
        };
    }

    /// <summary>
    /// The connection fails. Before processing, in memory, this is a connection that could not be made (nothing
    /// reached the service); after processing, the response is cut off (a submit's job exists). Over HTTP the
    /// connection is aborted.
    /// </summary>
    /// <param name="afterProcessing">Fail after the request was processed rather than before.</param>
    public static TryOnEmulatorFault DroppedConnection(bool afterProcessing = false) =>
        new(FaultKind.DroppedConnection, afterProcessing ? "connection dropped after processing" : "connection refused")
        {
            AfterProcessing = afterProcessing,
        };

    private TryOnEmulatorFault WithRetryAfter(TimeSpan? retryAfter) => retryAfter is { } value
        ? this with { RetryAfter = value, Description = string.Create(CultureInfo.InvariantCulture, $"{Description}, Retry-After {Math.Ceiling(value.TotalSeconds)} s") }
        : this;

    /// <summary>Describes the fault.</summary>
    public override string ToString() => AfterProcessing ? Description + " (after processing)" : Description;
}
