using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using AliTryOn.Polling;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Http;

/// <summary>
/// A rate limit that the instances of an application sharing an AppCode keep together, through a
/// <see cref="TryOnRateLimitStore"/>. It stands for the process's own rate limit (<see cref="TimedReleaseRateLimiter"/>)
/// and keeps its promises: calls waiting for a permit are served <b>oldest work first</b> (by the origin each gives, then
/// in arrival order), at most <c>queueLimit</c> of them wait, and they end at once when it is disposed.
/// </summary>
/// <remarks>
/// <para>
/// One loop serves the waiting calls: it asks the store for the oldest one's permit, waits as long as the store says
/// (on the client's clock), and asks again. So the process asks one permit at a time, whatever number of calls wait.
/// </para>
/// <para>
/// The same window is kept here for this process alone, and checked before the store: the process never sends more than
/// the rate, whatever the store says (after a pause, the store has not seen the permits taken meanwhile). A store that
/// fails, or does not answer within <see cref="AskTimeout"/>, is left alone for <see cref="Pause"/>, and that window
/// alone rules meanwhile: the calls go out at the process's own rate, not all at once.
/// </para>
/// </remarks>
internal sealed class SharedRateLimit : IDisposable
{
    /// <summary>How long a store that failed is not asked: the process keeps the window on its own meanwhile.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one ask of the store may take: far more than a round trip to a store in the same region, far less than a
    /// client library's own time limits (StackExchange.Redis waits 5 s for a connection that is down), during which
    /// every call of the process waits.
    /// </summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromMilliseconds(500);

    private readonly object _lock = new();
    private readonly SortedSet<RateLimitWaiter> _queue = new(RateLimitWaiter.Order.Instance);
    private readonly Queue<long> _takenHere = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TryOnRateLimitStore _store;
    private readonly string _limitKey;
    private readonly int _permits;
    private readonly TimeSpan _window;
    private readonly int _queueLimit;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _arrivals;
    private bool _serving;
    private long _blockedUntil; // a timestamp: until then no permit is free (0: none known)
    private bool _disposed;
    private long _pausedAt;
    private bool _paused;

    /// <param name="store">Where the instances keep their calls.</param>
    /// <param name="limitKey">The limit's name in the store (a hash of the credential).</param>
    /// <param name="permits">Calls allowed per <paramref name="window"/>, in all instances together.</param>
    /// <param name="window">How long each permit is held.</param>
    /// <param name="queueLimit">How many calls may wait for a permit (when none is free, the youngest past it are refused).</param>
    /// <param name="timeProvider">The client's clock: of the store's permits, and of the waits.</param>
    /// <param name="logger">Where a failure of the store is logged.</param>
    public SharedRateLimit(TryOnRateLimitStore store, string limitKey, int permits, TimeSpan window, int queueLimit, TimeProvider timeProvider, ILogger logger)
    {
        _store = store;
        _limitKey = limitKey;
        _permits = permits;
        _window = window;
        _queueLimit = queueLimit;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Waits for a permit, ahead of every waiting call whose work began after <paramref name="origin"/> (a timestamp of
    /// the client's clock). The lease fails at once when no permit is free and <c>queueLimit</c> calls wait already;
    /// a call that came while a permit was being asked for is refused as soon as the answer is "wait", if it is then
    /// among the youngest past <c>queueLimit</c>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="ObjectDisposedException">The limit was disposed.</exception>
    public ValueTask<RateLimitLease> AcquireAsync(long origin, CancellationToken cancellationToken)
    {
        RateLimitWaiter waiter;
        bool serve;
        lock (_lock)
        {
#if NET8_0_OR_GREATER
            ObjectDisposedException.ThrowIf(_disposed, this);
#else
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(SharedRateLimit));
            }
#endif
            if (_queue.Count >= _queueLimit && _timeProvider.GetTimestamp() < _blockedUntil)
            {
                // No permit is free, and as many calls as may wait do: as the process's own limit, refused at once.
                return new ValueTask<RateLimitLease>(TimedReleaseRateLimiter.RefusedLease.Instance);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new ValueTask<RateLimitLease>(Task.FromCanceled<RateLimitLease>(cancellationToken));
            }

            waiter = new RateLimitWaiter(origin, _arrivals++);
            _queue.Add(waiter);
            serve = !_serving;
            _serving = true;
        }

        // Outside the lock: a token cancelled meanwhile runs the callback at once, and the callback takes the lock.
        waiter.Registration = cancellationToken.Register(static state =>
        {
            var (owner, cancelled) = ((SharedRateLimit, RateLimitWaiter))state!;
            owner.Cancel(cancelled);
        }, (this, waiter));
        if (serve)
        {
            _ = ServeAsync(_stopping.Token);
        }

        return new ValueTask<RateLimitLease>(waiter.Lease.Task);
    }

    public void Dispose()
    {
        RateLimitWaiter[] waiting;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            waiting = [.. _queue];
            _queue.Clear();
        }

        _stopping.Cancel();
        foreach (var waiter in waiting)
        {
            waiter.Registration.Dispose();
            waiter.Lease.TrySetResult(TimedReleaseRateLimiter.RefusedLease.Instance);
        }
    }

    /// <summary>Serves the waiting calls, oldest work first, one permit at a time, until none waits.</summary>
    private async Task ServeAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                lock (_lock)
                {
                    if (_queue.Count == 0 || _disposed)
                    {
                        // No one waits: the next call asks afresh, whatever the last answer was.
                        _serving = false;
                        _blockedUntil = 0;
                        return;
                    }
                }

                // This process's own window first: whatever the store says, and after a pause that the store never saw,
                // the process sends no more than the rate.
                var askedAt = _timeProvider.GetTimestamp();
                var wait = OwnWait(askedAt);
                if (wait <= TimeSpan.Zero && !IsPaused())
                {
                    wait = await AskStoreAsync(stopping).ConfigureAwait(false);
                }

                if (wait <= TimeSpan.Zero)
                {
                    Grant();
                    continue;
                }

                // Never longer than a window (every permit comes back within one), counted from the ask on the
                // monotonic clock: the store's round trip is part of the wait, and a wall clock set back is not.
                var left = (wait < _window ? wait : _window) - _timeProvider.GetElapsedTime(askedAt);
                Block(left);
                if (left > TimeSpan.Zero)
                {
                    await _timeProvider.DelayAsync(left, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Disposed (the store with it, perhaps): its waiters were refused.
        }
        catch (Exception unexpected)
        {
            // Nothing is left waiting for a loop that is gone: the calls waiting fail with what stopped it, and the next
            // call starts a loop of its own.
            foreach (var waiter in TakeWaiters(keep: 0, stopServing: true))
            {
                waiter.Lease.TrySetException(unexpected);
            }
        }
    }

    /// <summary>
    /// A permit is taken: this process's window records it (at the time it is given), and the oldest work waiting gets
    /// it (spent if every waiter left meanwhile).
    /// </summary>
    private void Grant()
    {
        var now = _timeProvider.GetTimestamp();
        Forget(now);
        _takenHere.Enqueue(now);
        RateLimitWaiter? next = null;
        lock (_lock)
        {
            _blockedUntil = 0;
            if (_queue.Count > 0)
            {
                next = _queue.Min!;
                _queue.Remove(next);
            }
        }

        if (next is not null)
        {
            next.Registration.Dispose();
            next.Lease.TrySetResult(TimedReleaseRateLimiter.HeldLease.Instance);
        }
    }

    /// <summary>
    /// No permit for <paramref name="left"/>: the calls waiting are kept up to the queue limit (oldest work first), the
    /// others refused, and until then a call past the limit is refused as it comes.
    /// </summary>
    private void Block(TimeSpan left)
    {
        foreach (var waiter in TakeWaiters(keep: _queueLimit, blockFor: left))
        {
            waiter.Lease.TrySetResult(TimedReleaseRateLimiter.RefusedLease.Instance);
        }
    }

    /// <summary>
    /// Takes the youngest waiters out of the queue, leaving <paramref name="keep"/>, and with <paramref name="blockFor"/>
    /// refuses calls past the limit as they come until that time has passed. With <paramref name="stopServing"/>, the
    /// loop is marked gone in the same lock, so that the next call starts one (none can slip in between).
    /// </summary>
    private List<RateLimitWaiter> TakeWaiters(int keep, TimeSpan? blockFor = null, bool stopServing = false)
    {
        var taken = new List<RateLimitWaiter>();
        lock (_lock)
        {
            _serving &= !stopServing;
            if (blockFor is { } left)
            {
                _blockedUntil = _timeProvider.GetTimestamp() + (long)(left.TotalSeconds * _timeProvider.TimestampFrequency);
            }

            while (_queue.Count > keep)
            {
                var youngest = _queue.Max!;
                _queue.Remove(youngest);
                taken.Add(youngest);
            }
        }

        foreach (var waiter in taken)
        {
            waiter.Registration.Dispose();
        }

        return taken;
    }

    /// <summary>The store's answer; on a failure (or no answer in time), the pause begins and this process's window answers alone.</summary>
    private async ValueTask<TimeSpan> AskStoreAsync(CancellationToken stopping)
    {
        using var limit = TimeLimit.Start(AskTimeout, stopping, _timeProvider)!;
        try
        {
            return await _store.TryTakeAsync(_limitKey, _permits, _window, _timeProvider, limit.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            var failure = limit.Caused(exception) ? new TimeoutException($"The store did not answer within {AskTimeout.TotalSeconds} s.", exception) : exception;
            _pausedAt = _timeProvider.GetTimestamp();
            _paused = true;
            Log.RateLimitStoreFailed(_logger, _store.GetType().Name, failure.GetType().Name, Pause.TotalSeconds, failure);
            return TimeSpan.Zero; // this process's window, checked before the ask, has a permit
        }
    }

    // The pause and this process's window are read and written by the one loop that serves.
    private bool IsPaused() => _paused && (_paused = _timeProvider.GetElapsedTime(_pausedAt) < Pause);

    /// <summary>How long until this process's own window has a permit (zero: it has one now).</summary>
    private TimeSpan OwnWait(long now)
    {
        Forget(now);
        return _takenHere.Count < _permits ? TimeSpan.Zero : _window - _timeProvider.GetElapsedTime(_takenHere.Peek(), now);
    }

    /// <summary>Drops the permits of this process that are back by <paramref name="now"/> (taken a window ago or more).</summary>
    private void Forget(long now)
    {
        while (_takenHere.Count > 0 && _timeProvider.GetElapsedTime(_takenHere.Peek(), now) >= _window)
        {
            _takenHere.Dequeue();
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
}
