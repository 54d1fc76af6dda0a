using System;
using System.Collections.Concurrent;
using AliTryOn.Http;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// The rate limits of an application, one per AppCode, so that every client using the same AppCode shares them.
/// The first client of an AppCode sets its limits.
/// </summary>
internal sealed class TryOnRateLimiterRegistry(TimeProvider? timeProvider = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<TryOnRateLimiter>> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The limiter of the options' AppCode, or <see langword="null"/> when they set no limit.</summary>
    public TryOnRateLimiter? For(TryOnClientOptions options) =>
        options.RateLimit.IsEnabled
            ? _limiters.GetOrAdd(options.AppCode!, _ => new Lazy<TryOnRateLimiter>(() => new TryOnRateLimiter(options.RateLimit, _timeProvider))).Value
            : null;

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            if (limiter.IsValueCreated)
            {
                limiter.Value.Dispose();
            }
        }
    }
}
