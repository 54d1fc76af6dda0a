using System;
using System.Threading.RateLimiting;

namespace AliTryOn.Http;

/// <summary>
/// The client-side limits of one AppCode, each optional: calls in flight, and calls per second (sliding, on the
/// client's <see cref="TimeProvider"/>, so a fake clock drives it in tests).
/// </summary>
internal sealed class TryOnRateLimiter : IDisposable
{
    public TryOnRateLimiter(TryOnRateLimitOptions options, TimeProvider timeProvider)
    {
        Limits = options.Limits;
        if (options.MaxConcurrentRequests > 0)
        {
            Concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrentRequests,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        if (options.RequestsPerSecond > 0)
        {
            // At most one second's worth of calls at once (at least one), each permit back after its share of time.
            var permits = Math.Max(1, (int)Math.Ceiling(options.RequestsPerSecond));
            Rate = new TimedReleaseRateLimiter(permits, TimeSpan.FromSeconds(permits / options.RequestsPerSecond), options.QueueLimit, timeProvider);
        }
    }

    /// <summary>The settings this limiter was made with, to tell whether changed options need another.</summary>
    public (double RequestsPerSecond, int MaxConcurrentRequests, int QueueLimit) Limits { get; }

    /// <summary>Whether <paramref name="options"/> set the limits this limiter was made with.</summary>
    public bool Enforces(TryOnRateLimitOptions options) =>
        Limits == options.Limits;

    /// <summary>The concurrency limit, or <see langword="null"/> when there is none.</summary>
    public RateLimiter? Concurrency { get; }

    /// <summary>The rate limit, or <see langword="null"/> when there is none.</summary>
    public TimedReleaseRateLimiter? Rate { get; }

    public void Dispose()
    {
        Concurrency?.Dispose();
        Rate?.Dispose();
    }
}
