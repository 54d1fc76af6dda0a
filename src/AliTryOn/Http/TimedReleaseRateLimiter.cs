using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// A rate limit of <c>permits</c> calls per <c>window</c>, sliding: each permit comes back one window after it was
/// taken, on the client's <see cref="TimeProvider"/>. Queueing, the queue limit and cancellation are the runtime's
/// <see cref="ConcurrencyLimiter"/>'s.
/// </summary>
/// <remarks>
/// The runtime's token bucket refills on real time (it checks <see cref="Environment.TickCount"/> even when refilled
/// by hand), so it cannot follow an injected clock; releasing permits on a timer of the client's clock can.
/// </remarks>
internal sealed class TimedReleaseRateLimiter : RateLimiter
{
    private readonly ConcurrencyLimiter _permits;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private readonly HashSet<ITimer> _releases = [];

    public TimedReleaseRateLimiter(int permits, TimeSpan window, int queueLimit, TimeProvider timeProvider)
    {
        _permits = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _window = window;
        _timeProvider = timeProvider;
    }

    public override TimeSpan? IdleDuration => _permits.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _permits.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Hold(_permits.AttemptAcquire(permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        Hold(await _permits.AcquireAsync(permitCount, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_releases)
            {
                foreach (var release in _releases)
                {
                    release.Dispose();
                }

                _releases.Clear();
            }

            _permits.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Keeps an acquired permit for one window, whatever the call does meanwhile; hands the call a lease that owns nothing.</summary>
    private RateLimitLease Hold(RateLimitLease lease)
    {
        if (!lease.IsAcquired)
        {
            return lease;
        }

        lock (_releases)
        {
            // The set keeps the timer alive until it fires (an unreferenced system timer may be collected first).
            var release = new Release(lease, this);
            release.Timer = _timeProvider.CreateTimer(static state => ((Release)state!).Fire(), release, _window, Timeout.InfiniteTimeSpan);
            _releases.Add(release.Timer);
        }

        return HeldLease.Instance;
    }

    private sealed class Release(RateLimitLease lease, TimedReleaseRateLimiter owner)
    {
        public ITimer? Timer { get; set; }

        public void Fire()
        {
            lock (owner._releases)
            {
                if (Timer is null || !owner._releases.Remove(Timer))
                {
                    return; // disposed with the limiter
                }

                Timer.Dispose();
            }

            lease.Dispose();
        }
    }

    /// <summary>What the caller holds: disposing it returns nothing early, the timer does.</summary>
    private sealed class HeldLease : RateLimitLease
    {
        public static readonly HeldLease Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
