using System;
using System.Collections.Generic;
using System.Threading;
using AliTryOn.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// The rate limits of an application, one per AppCode (or AppKey, in the signing mode), so that every client using the
/// same credentials shares them. The first client of a credential sets its limits; a client whose limits change on a
/// configuration reload replaces them, for every client of the credential (see <see cref="Version"/>).
/// </summary>
/// <remarks>
/// A replaced limiter is not disposed until the registry is: calls holding or waiting for its permits finish with it,
/// and only the calls that start after the change take the new limiter's permits.
/// </remarks>
internal sealed class TryOnRateLimiterRegistry(TimeProvider? timeProvider = null, ILogger? logger = null) : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, TryOnRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly List<TryOnRateLimiter> _replaced = [];
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private int _version;

    /// <summary>
    /// Changes each time a credential's limiter is replaced: a client whose limiter came from an older version reads
    /// its credential's again (see <see cref="TryOnClientSettings.Current"/>), so every client of a credential keeps to
    /// the one limit, whichever of them changed it.
    /// </summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>The limiter of the options' AppCode or AppKey, or <see langword="null"/> when they set no limit.</summary>
    /// <param name="options">Valid options.</param>
    /// <param name="replaceOtherLimits">
    /// When the credential's limiter enforces other limits than the options': <see langword="true"/> to replace it with
    /// one of the options' limits (their limits changed), <see langword="false"/> to share it (the first client's limits hold).
    /// </param>
    /// <param name="version">The <see cref="Version"/> the limiter is current at, read with it.</param>
    public TryOnRateLimiter? For(TryOnClientOptions options, bool replaceOtherLimits, out int version)
    {
        // Called when a client's settings are first read or reloaded, never per call: a lock is cheap enough.
        lock (_gate)
        {
            version = _version;
            if (!options.RateLimit.IsEnabled)
            {
                return null;
            }

            var credential = TryOnRateLimiter.CredentialOf(options);
            if (_limiters.TryGetValue(credential, out var existing) && (!replaceOtherLimits || existing.Enforces(options.RateLimit)))
            {
                return existing;
            }

            if (existing is not null)
            {
                _replaced.Add(existing);
                version = Interlocked.Increment(ref _version);
            }

            return _limiters[credential] = new TryOnRateLimiter(options, _timeProvider, _logger);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var limiter in _limiters.Values)
            {
                limiter.Dispose();
            }

            foreach (var limiter in _replaced)
            {
                limiter.Dispose();
            }

            _limiters.Clear();
            _replaced.Clear();
        }
    }
}
