using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Http;

/// <summary>
/// The client-side limits of one AppCode, each optional: calls in flight, and calls per second (sliding, on the
/// client's <see cref="TimeProvider"/>, so a fake clock drives it in tests), kept with the application's other
/// instances too when the options give a <see cref="TryOnRateLimitOptions.Store"/>.
/// </summary>
internal sealed class TryOnRateLimiter : IDisposable
{
    /// <param name="options">Valid options with a limit set.</param>
    /// <param name="timeProvider">The clock of the rate limit.</param>
    /// <param name="logger">Where a failure of the shared store is logged.</param>
    public TryOnRateLimiter(TryOnClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var limits = options.RateLimit;
        Limits = limits.Limits;
        if (limits.MaxConcurrentRequests > 0)
        {
            Concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.MaxConcurrentRequests,
                QueueLimit = limits.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        if (limits.RequestsPerSecond > 0)
        {
            // At most one second's worth of calls at once (at least one), each permit back after its share of time.
            var permits = Math.Max(1, (int)Math.Ceiling(limits.RequestsPerSecond));
            var window = TimeSpan.FromSeconds(permits / limits.RequestsPerSecond);
            if (limits.Store is { } store)
            {
                Shared = new SharedRateLimit(store, LimitKeyOf(options), permits, window, limits.QueueLimit, timeProvider, logger);
            }
            else
            {
                Rate = new TimedReleaseRateLimiter(permits, window, limits.QueueLimit, timeProvider);
            }
        }
    }

    /// <summary>The settings this limiter was made with, to tell whether changed options need another.</summary>
    public (double RequestsPerSecond, int MaxConcurrentRequests, int QueueLimit, TryOnRateLimitStore? Store) Limits { get; }

    /// <summary>Whether <paramref name="options"/> set the limits this limiter was made with (the store included).</summary>
    public bool Enforces(TryOnRateLimitOptions options) =>
        Limits == options.Limits;

    /// <summary>The concurrency limit, or <see langword="null"/> when there is none.</summary>
    public RateLimiter? Concurrency { get; }

    /// <summary>The rate limit of this process alone, or <see langword="null"/> when there is none, or a store shares it.</summary>
    public TimedReleaseRateLimiter? Rate { get; }

    /// <summary>The rate limit kept with the other instances, in place of <see cref="Rate"/>, or <see langword="null"/> when there is no store (or no rate).</summary>
    public SharedRateLimit? Shared { get; }

    /// <summary>
    /// The credential whose clients share a limit. The two kinds are told apart, so an AppKey that happens to equal some
    /// AppCode does not share its limit.
    /// </summary>
    public static string CredentialOf(TryOnClientOptions options) =>
        options.UsesSignature ? "AppKey " + options.AppKey : "AppCode " + options.AppCode;

    /// <summary>
    /// The name of the credential's limit in a shared store: <c>tryon-</c> and the SHA-256 of the credential (as
    /// <see cref="CredentialOf"/> writes it), in hex.
    /// The same in every instance, and no secret: the AppCode cannot be read back from it.
    /// </summary>
    public static string LimitKeyOf(TryOnClientOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(CredentialOf(options));
#if NET8_0_OR_GREATER
        var hash = SHA256.HashData(bytes);
#else
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(bytes);
#endif
        return "tryon-" + Nonce.ToLowerHex(hash);
    }

    public void Dispose()
    {
        Concurrency?.Dispose();
        Rate?.Dispose();
        Shared?.Dispose();
    }
}
