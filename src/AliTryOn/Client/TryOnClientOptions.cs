using System;
using System.Globalization;

namespace AliTryOn;

/// <summary>
/// Settings of a <see cref="TryOnClient"/>. Bound from the configuration section <see cref="SectionName"/>
/// (<c>AliTryOn</c>) by <c>services.AddTryOnClient()</c>, or set in code.
/// </summary>
/// <remarks>
/// <para>A client copies these values when it is created; changing the object afterwards does not change that client.
/// <see cref="ToString"/> never shows the AppCode or the AppSecret.</para>
/// <para>
/// Clients registered with <c>AddTryOnClient</c> from configuration follow its reloads instead: the credentials
/// (<see cref="AppCode"/>, <see cref="AppKey"/>, <see cref="AppSecret"/>) from the next attempt, retries of a call in
/// flight included; <see cref="RateLimit"/>, <see cref="AttemptTimeout"/>, <see cref="TotalTimeout"/> and
/// <see cref="Retry"/> from the next call; the other settings in clients resolved after the reload. A reload that
/// leaves the options invalid is not applied and is logged as a warning (event id 1150).
/// </para>
/// <para>
/// The credentials choose how requests are authenticated: set <see cref="AppCode"/> (the usual mode, sent in the
/// <c>Authorization</c> header), or set <see cref="AppKey"/> and <see cref="AppSecret"/> instead to have every attempt
/// signed with the gateway's HMAC-SHA256 signature. Exactly one of the two modes must be configured.
/// </para>
/// </remarks>
public sealed class TryOnClientOptions
{
    /// <summary>The conventional configuration section: <c>AliTryOn</c>.</summary>
    public const string SectionName = "AliTryOn";

    /// <summary>
    /// Base address of the service, as shown on the product page after purchase, for example
    /// <c>https://example.market.alicloudapi.com</c>. Required: no default. Must be <c>https</c>; plain <c>http</c> is accepted
    /// only for a loopback address (a local emulator) or when <see cref="AllowInsecureHttp"/> is set.
    /// A path is kept as a prefix of the operations' paths; a query or fragment is refused, as the client builds the operations' addresses from it.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// The AppCode that authenticates and bills every call. Required unless <see cref="AppKey"/> and
    /// <see cref="AppSecret"/> are set instead: no default. It travels in the <c>Authorization</c> header
    /// and is never logged, shown by <see cref="ToString"/> or put in an exception.
    /// </summary>
    public string? AppCode { get; set; }

    /// <summary>
    /// The AppKey of the gateway's AppKey/AppSecret signing mode, set together with <see cref="AppSecret"/> instead of
    /// <see cref="AppCode"/>. Default: <see langword="null"/> (AppCode mode). When set, every attempt is signed
    /// (HMAC-SHA256, with a fresh nonce and timestamp) rather than carrying an AppCode. The AppKey is an identifier, sent
    /// in clear text in the <c>X-Ca-Key</c> header, so <see cref="ToString"/> shows it.
    /// </summary>
    public string? AppKey { get; set; }

    /// <summary>
    /// The AppSecret that signs requests in the AppKey/AppSecret mode; required when <see cref="AppKey"/> is set.
    /// Default: <see langword="null"/>. It never leaves the process: only signatures made with it are sent, and it is
    /// never logged, shown by <see cref="ToString"/> or put in an exception.
    /// </summary>
    public string? AppSecret { get; set; }

    /// <summary>
    /// Accept a plain <c>http</c> endpoint that is not a loopback address. Default: <see langword="false"/>.
    /// The AppCode travels in clear text over <c>http</c>: set this only on a network you trust, for example to
    /// reach an emulator on another machine.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// How long one attempt of a call may take. Default: 30 seconds. Positive and at most 24 days, or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>. A query that times out is retried; a submit that
    /// times out is not (it may have created a job) and raises <see cref="TryOnSubmitOutcomeUnknownException"/>.
    /// </summary>
    /// <remarks>
    /// At most <see cref="TotalTimeout"/> when both are limits, since the call's limit would end every attempt first;
    /// the default is the exception: a <see cref="TotalTimeout"/> set below 30 seconds limits every attempt with it.
    /// </remarks>
    public TimeSpan AttemptTimeout { get; set; } = DefaultAttemptTimeout;

    /// <summary>The default of <see cref="AttemptTimeout"/>.</summary>
    internal static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one call may take in all, retries and their delays included. Default: 2 minutes. Positive and at most
    /// 24 days, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How failed calls are retried; see <see cref="TryOnRetryOptions"/> for the defaults.</summary>
    public TryOnRetryOptions Retry { get; set; } = new();

    /// <summary>A client-side rate limit per AppCode; off by default. See <see cref="TryOnRateLimitOptions"/>.</summary>
    public TryOnRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How waiting for a job polls it; see <see cref="TryOnPollingOptions"/> for the defaults.</summary>
    public TryOnPollingOptions Polling { get; set; } = new();

    /// <summary>
    /// Whether requests are signed with <see cref="AppKey"/> and <see cref="AppSecret"/> rather than sent with the
    /// AppCode: either of the two is set (validation then requires both, and no AppCode).
    /// </summary>
    /// <summary>How local images are checked and published, and URL images checked. See <see cref="TryOnImageOptions"/>.</summary>
    public TryOnImageOptions Images { get; set; } = new();

    /// <summary>
    /// Publishes the tasks' local images (files, streams, bytes) at URLs the service can fetch. Default: none, and a task
    /// with a local image fails before anything is sent. Not read from configuration: set it in code, or register a
    /// <see cref="TryOnImageHost"/> with dependency injection (a keyed one, by the client's name, for a named client).
    /// </summary>
    public TryOnImageHost? ImageHost { get; set; }

    internal bool UsesSignature => !string.IsNullOrWhiteSpace(AppKey) || !string.IsNullOrWhiteSpace(AppSecret);

    /// <summary>Lists the settings with the AppCode and the AppSecret hidden.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "TryOnClientOptions {{ Endpoint = {0}, AppCode = {1}, AppKey = {2}, AppSecret = {3}, AllowInsecureHttp = {4}, AttemptTimeout = {5}, TotalTimeout = {6}, Retry = {{ {7} }}, RateLimit = {{ {8} }}, Polling = {{ {9} }}, Images = {{ {10} }}, ImageHost = {11} }}",
        Endpoint is null ? "(not set)" : Diagnostics.UrlDisplay.Show(Endpoint),
        Hidden(AppCode),
        string.IsNullOrEmpty(AppKey) ? "(not set)" : AppKey,
        Hidden(AppSecret),
        AllowInsecureHttp,
        AttemptTimeout,
        TotalTimeout,
        Retry,
        RateLimit,
        Polling,
        Images,
        ImageHost is null ? "(not set)" : ImageHost.GetType().Name);

    private static string Hidden(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "(set, hidden)";
}
