using System;
using System.Globalization;

namespace AliTryOn;

/// <summary>
/// How failed calls are retried. A query is retried after transient failures; a submit, which is billed, only when
/// the failure proves no job was created (throttling, or a connection that could not be made).
/// </summary>
/// <remarks>
/// Delays grow exponentially from <see cref="BaseDelay"/> with random jitter, up to <see cref="MaxDelay"/>. When the
/// server sends <c>Retry-After</c>, that delay is used instead, up to <see cref="MaxRetryAfter"/>; a longer one ends the
/// retries and the <see cref="TryOnThrottledException"/> carries it.
/// </remarks>
public sealed class TryOnRetryOptions
{
    /// <summary>Retries after the first attempt. Default: 3. From 0 (no retries) to 10.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The typical delay before the first retry; later ones grow exponentially. Default: 1 second. Positive, at most 1 day.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts. Default: 30 seconds. At least <see cref="BaseDelay"/>, at most 1 day.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for before retrying. Default: 60 seconds. At least zero.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Lists the settings.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "MaxRetries = {0}, BaseDelay = {1}, MaxDelay = {2}, MaxRetryAfter = {3}",
        MaxRetries,
        BaseDelay,
        MaxDelay,
        MaxRetryAfter);
}
