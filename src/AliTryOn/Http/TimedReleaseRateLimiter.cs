using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// A rate limit of <c>permits</c> calls per <c>window</c>, sliding: each permit comes back one window after it was
/// taken, on the client's <see cref="TimeProvider"/>. Calls that wait for a permit get it <b>oldest work first</b>: by
/// the origin each gives (<see cref="WorkOrigin"/>: when a wait began, for its queries; when the call was made, for
/// any other), then in arrival order.
/// </summary>
/// <remarks>
/// <para>
/// The runtime's token bucket refills on real time (it checks <see cref="Environment.TickCount"/> even when refilled
/// by hand), so it cannot follow an injected clock; releasing permits on a timer of the client's clock can.
/// </para>
/// <para>
/// Why oldest work first rather than first come: under a busy limit, a bulk run's jobs all poll, and in arrival order a
/// job that has just finished waits behind a query of every younger job, none of which can be done yet; a round of
/// queries then lasts (jobs in flight) ÷ (rate) seconds, and each job is noticed up to that late. Served by age, the
/// permits go to the jobs that are due, and the young ones are not polled in vain.
/// </para>
/// </remarks>
internal sealed class TimedReleaseRateLimiter : RateLimiter
{
    private readonly object _lock = new();
    private readonly SortedSet<RateLimitWaiter> _queue = new(RateLimitWaiter.Order.Instance);
    private readonly HashSet<ITimer> _releases = [];
    private readonly int _permits;
    private readonly int _queueLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private int _available;
    private long _arrivals;
    private long _successful;
    private long _failed;
    private long _idleSince;
    private bool _disposed;

    public TimedReleaseRateLimiter(int permits, TimeSpan window, int queueLimit, TimeProvider timeProvider)
    {
        _permits = permits;
        _available = permits;
        _queueLimit = queueLimit;
        _window = window;
        _timeProvider = timeProvider;
        _idleSince = timeProvider.GetTimestamp();
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                return _available == _permits ? _timeProvider.GetElapsedTime(_idleSince) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _available,
                CurrentQueuedCount = _queue.Count,
                TotalFailedLeases = _failed,
                TotalSuccessfulLeases = _successful,
            };
        }
    }

    /// <summary>
    /// Waits for a permit, ahead of every waiting call whose work began after <paramref name="origin"/> (a timestamp of
    /// the client's clock). The lease fails at once when <c>queueLimit</c> calls are waiting already.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    public ValueTask<RateLimitLease> AcquireAsync(long origin, CancellationToken cancellationToken)
    {
        RateLimitWaiter waiter;
        lock (_lock)
        {
#if NET8_0_OR_GREATER
            ObjectDisposedException.ThrowIf(_disposed, this);
#else
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(TimedReleaseRateLimiter));
            }
#endif
            if (_available > 0)
            {
                // A free permit means no one waits: permits that come back go to waiters first.
                return new ValueTask<RateLimitLease>(TakeLocked());
            }

            if (_queue.Count >= _queueLimit)
            {
                _failed++;
                return new ValueTask<RateLimitLease>(RefusedLease.Instance);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new ValueTask<RateLimitLease>(Task.FromCanceled<RateLimitLease>(cancellationToken));
            }

            waiter = new RateLimitWaiter(origin, _arrivals++);
            _queue.Add(waiter);
        }

        // Outside the lock: a token cancelled meanwhile runs the callback at once, and the callback takes the lock.
        waiter.Registration = cancellationToken.Register(static state =>
        {
            var (owner, cancelled) = ((TimedReleaseRateLimiter, RateLimitWaiter))state!;
            owner.Cancel(cancelled);
        }, (this, waiter));
        return new ValueTask<RateLimitLease>(waiter.Lease.Task);
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            if (_available > 0)
            {
                return permitCount == 0 ? HeldLease.Instance : TakeLocked();
            }

            _failed++;
            return RefusedLease.Instance;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        AcquireAsync(_timeProvider.GetTimestamp(), cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            RateLimitWaiter[] waiting;
            lock (_lock)
            {
                _disposed = true;
                foreach (var release in _releases)
                {
                    release.Dispose();
                }

                _releases.Clear();
                waiting = [.. _queue];
                _queue.Clear();
            }

            foreach (var waiter in waiting)
            {
                waiter.Registration.Dispose();
                waiter.Lease.TrySetResult(RefusedLease.Instance);
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Takes a permit and keeps it for one window, whatever the call does meanwhile. Under the lock.</summary>
    private HeldLease TakeLocked()
    {
        _available--;
        _successful++;
        // The set keeps the timer alive until it fires (an unreferenced system timer may be collected first).
        var release = new Release(this);
        release.Timer = _timeProvider.CreateTimer(static state => ((Release)state!).Fire(), release, _window, Timeout.InfiniteTimeSpan);
        _releases.Add(release.Timer);
        return HeldLease.Instance;
    }

    /// <summary>A permit is back: the oldest work waiting takes it, or it is free again.</summary>
    private void Returned(Release release)
    {
        RateLimitWaiter? next = null;
        lock (_lock)
        {
            if (release.Timer is null || !_releases.Remove(release.Timer))
            {
                return; // disposed with the limiter
            }

            release.Timer.Dispose();
            _available++;
            if (_queue.Count > 0)
            {
                next = _queue.Min!;
                _queue.Remove(next);
                TakeLocked();
            }
            else if (_available == _permits)
            {
                _idleSince = _timeProvider.GetTimestamp();
            }
        }

        if (next is not null)
        {
            next.Registration.Dispose();
            next.Lease.TrySetResult(HeldLease.Instance);
        }
    }

    private void Cancel(RateLimitWaiter waiter)
    {
        lock (_lock)
        {
            // Only the one that takes a waiter out of the queue completes it: granted, or cancelled here.
            if (!_queue.Remove(waiter))
            {
                return;
            }
        }

        waiter.Lease.TrySetCanceled();
    }

    private sealed class Release(TimedReleaseRateLimiter owner)
    {
        public ITimer? Timer { get; set; }

        public void Fire() => owner.Returned(this);
    }

    /// <summary>What the caller holds: disposing it returns nothing early, the timer does (or, for <see cref="SharedRateLimit"/>, the store's window).</summary>
    internal sealed class HeldLease : RateLimitLease
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

    /// <summary>What a call refused gets: the queue is full, or the limiter was disposed.</summary>
    internal sealed class RefusedLease : RateLimitLease
    {
        public static readonly RefusedLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
