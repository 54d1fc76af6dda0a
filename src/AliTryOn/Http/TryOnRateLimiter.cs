using System;
using System.Threading;
using System.Threading.RateLimiting;

namespace AliTryOn.Http;

/// <summary>
/// The client-side limits of one AppCode: a concurrency limit and a token bucket, each optional. The bucket is
/// refilled by a timer of the client's <see cref="TimeProvider"/> rather than its own, so a fake clock drives it in tests.
/// </summary>
internal sealed class TryOnRateLimiter : IDisposable
{
    private readonly ITimer? _replenisher;

    public TryOnRateLimiter(TryOnRateLimitOptions options, TimeProvider timeProvider)
    {
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
            // One token every 1/rate seconds, but no timer faster than every 10 ms: then several tokens a tick.
            var period = TimeSpan.FromSeconds(1 / options.RequestsPerSecond);
            var tokensPerPeriod = 1;
            if (period < MinimumPeriod)
            {
                tokensPerPeriod = (int)Math.Ceiling(options.RequestsPerSecond * MinimumPeriod.TotalSeconds);
                period = TimeSpan.FromSeconds(tokensPerPeriod / options.RequestsPerSecond);
            }

            var bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(tokensPerPeriod, (int)Math.Ceiling(options.RequestsPerSecond)),
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                AutoReplenishment = false,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            Rate = bucket;
            _replenisher = timeProvider.CreateTimer(static state => ((TokenBucketRateLimiter)state!).TryReplenish(), bucket, period, period);
        }
    }

    private static TimeSpan MinimumPeriod { get; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The concurrency limit, or <see langword="null"/> when there is none.</summary>
    public RateLimiter? Concurrency { get; }

    /// <summary>The rate limit, or <see langword="null"/> when there is none.</summary>
    public RateLimiter? Rate { get; }

    public void Dispose()
    {
        _replenisher?.Dispose();
        Concurrency?.Dispose();
        Rate?.Dispose();
    }
}
