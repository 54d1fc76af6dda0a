using System;
using System.Globalization;

namespace AliTryOn;

/// <summary>
/// Settings of a <see cref="TryOnClient"/>. Bound from the configuration section <see cref="SectionName"/>
/// (<c>AliTryOn</c>) by <c>services.AddTryOnClient()</c>, or set in code.
/// </summary>
/// <remarks>
/// A client copies these values when it is created; changing the object afterwards does not change that client.
/// <see cref="ToString"/> never shows the AppCode.
/// </remarks>
public sealed class TryOnClientOptions
{
    /// <summary>The conventional configuration section: <c>AliTryOn</c>.</summary>
    public const string SectionName = "AliTryOn";

    /// <summary>
    /// Base address of the service, as shown on the product page after purchase, for example
    /// <c>https://example.market.alicloudapi.com</c>. Required. Must be <c>https</c>; plain <c>http</c> is accepted
    /// only for a loopback address (a local emulator) or when <see cref="AllowInsecureHttp"/> is set.
    /// A path is kept as a prefix of the operations' paths.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// The AppCode that authenticates and bills every call. Required. It travels in the <c>Authorization</c> header
    /// and is never logged, shown by <see cref="ToString"/> or put in an exception.
    /// </summary>
    public string? AppCode { get; set; }

    /// <summary>
    /// Accept a plain <c>http</c> endpoint that is not a loopback address. Default: <see langword="false"/>.
    /// The AppCode travels in clear text over <c>http</c>: set this only on a network you trust, for example to
    /// reach an emulator on another machine.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// How long one attempt of a call may take. Default: 30 seconds. Positive, or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>. A query that times out is retried; a submit that
    /// times out is not (it may have created a job) and raises <see cref="TryOnSubmitOutcomeUnknownException"/>.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one call may take in all, retries and their delays included. Default: 2 minutes. Positive, or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How failed calls are retried; see <see cref="TryOnRetryOptions"/> for the defaults.</summary>
    public TryOnRetryOptions Retry { get; set; } = new();

    /// <summary>A client-side rate limit per AppCode; off by default. See <see cref="TryOnRateLimitOptions"/>.</summary>
    public TryOnRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How waiting for a job polls it; see <see cref="TryOnPollingOptions"/> for the defaults.</summary>
    public TryOnPollingOptions Polling { get; set; } = new();

    /// <summary>Lists the settings with the AppCode hidden.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "TryOnClientOptions {{ Endpoint = {0}, AppCode = {1}, AllowInsecureHttp = {2}, AttemptTimeout = {3}, TotalTimeout = {4}, Retry = {{ {5} }}, RateLimit = {{ {6} }}, Polling = {{ {7} }} }}",
        Endpoint?.ToString() ?? "(not set)",
        string.IsNullOrEmpty(AppCode) ? "(not set)" : "(set, hidden)",
        AllowInsecureHttp,
        AttemptTimeout,
        TotalTimeout,
        Retry,
        RateLimit,
        Polling);
}
