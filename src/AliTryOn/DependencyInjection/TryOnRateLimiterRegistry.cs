using System;
using System.Collections.Concurrent;
using AliTryOn.Http;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// The rate limits of an application, one per AppCode (or AppKey, in the signing mode), so that every client using the
/// same credentials shares them. The first client of a credential sets its limits.
/// </summary>
internal sealed class TryOnRateLimiterRegistry(TimeProvider? timeProvider = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<TryOnRateLimiter>> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The limiter of the options' AppCode or AppKey, or <see langword="null"/> when they set no limit.</summary>
    public TryOnRateLimiter? For(TryOnClientOptions options) =>
        options.RateLimit.IsEnabled
            ? _limiters.GetOrAdd(CredentialOf(options), _ => new Lazy<TryOnRateLimiter>(() => new TryOnRateLimiter(options.RateLimit, _timeProvider))).Value
            : null;

    // The two kinds are told apart, so an AppKey that happens to equal some AppCode does not share its limit.
    private static string CredentialOf(TryOnClientOptions options) =>
        options.UsesSignature ? "AppKey " + options.AppKey : "AppCode " + options.AppCode;

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
