using System;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using AliTryOn.Polling;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Http;

/// <summary>
/// The part of a rate limit that the instances of an application sharing an AppCode keep together, through a
/// <see cref="TryOnRateLimitStore"/>: each attempt the process's own limit lets go then takes a permit from the store,
/// waiting (on the client's clock) as long as the store says.
/// </summary>
/// <remarks>
/// The attempts of one process ask the store one at a time, in the order the process's limit let them go (oldest work
/// first), so a young call never takes the permit an old one was waiting for. A store that fails is left alone for
/// <see cref="Pause"/>: the attempts go on under the process's limit meanwhile.
/// </remarks>
internal sealed class SharedRateLimit : IDisposable
{
    /// <summary>How long a store that failed is not asked: the process's own limit holds meanwhile.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TryOnRateLimitStore _store;
    private readonly string _limitKey;
    private readonly int _permits;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _pausedAt;
    private bool _paused;

    /// <param name="store">Where the instances keep their calls.</param>
    /// <param name="limitKey">The limit's name in the store (a hash of the credential).</param>
    /// <param name="permits">Calls allowed per <paramref name="window"/>, in all instances together.</param>
    /// <param name="window">How long each permit is held.</param>
    /// <param name="timeProvider">The client's clock: of the times given to the store, and of the waits.</param>
    /// <param name="logger">Where a failure of the store is logged.</param>
    public SharedRateLimit(TryOnRateLimitStore store, string limitKey, int permits, TimeSpan window, TimeProvider timeProvider, ILogger logger)
    {
        _store = store;
        _limitKey = limitKey;
        _permits = permits;
        _window = window;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The store this limit keeps its calls in.</summary>
    public TryOnRateLimitStore Store => _store;

    /// <summary>Waits for a permit of the store; granted at once while the store is paused after a failure.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!IsPaused())
            {
                var askedAt = _timeProvider.GetUtcNow();
                TimeSpan wait;
                try
                {
                    wait = await _store.TryTakeAsync(_limitKey, _permits, _window, askedAt, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    _pausedAt = _timeProvider.GetTimestamp();
                    _paused = true;
                    Log.RateLimitStoreFailed(_logger, _store.GetType().Name, exception.GetType().Name, Pause.TotalSeconds, exception);
                    break;
                }

                if (wait <= TimeSpan.Zero)
                {
                    break;
                }

                // Never longer than a window (every permit the store holds comes back within one), counted from the time
                // asked about: the store's round trip is part of the wait.
                var left = (wait < _window ? wait : _window) - (_timeProvider.GetUtcNow() - askedAt);
                if (left > TimeSpan.Zero)
                {
                    await _timeProvider.DelayAsync(left, cancellationToken).ConfigureAwait(false);
                }
            }

            return TimedReleaseRateLimiter.HeldLease.Instance;
        }
        finally
        {
            _turn.Release();
        }
    }

    // Read and written only by the one attempt whose turn it is.
    private bool IsPaused() => _paused && (_paused = _timeProvider.GetElapsedTime(_pausedAt) < Pause);

    public void Dispose() => _turn.Dispose();
}
