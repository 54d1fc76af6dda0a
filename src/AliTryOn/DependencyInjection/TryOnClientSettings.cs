using System;
using AliTryOn.Diagnostics;
using AliTryOn.Http;
using Microsoft.Extensions.Options;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// The current settings of the clients registered under one options name, following
/// <see cref="IOptionsMonitor{TOptions}"/>: every reload of valid options replaces <see cref="Current"/>, which the
/// handlers read per call (the pipeline: time limits, retries, rate limits) and per attempt (the credentials).
/// </summary>
/// <remarks>
/// Derived state is rebuilt only on a change, never per call: the credentials (the <c>APPCODE …</c> header value, the
/// signer) when they differ, the rate limiter when the credential or the limits differ. Invalid reloads never get here:
/// <see cref="TryOnConfigurationChangeTokenSource"/> keeps them from the monitor.
/// </remarks>
internal sealed class TryOnClientSettings : IDisposable
{
    private readonly object _gate = new();
    private readonly string _name;
    private readonly TryOnRateLimiterRegistry _rateLimiters;
    private readonly TimeProvider _timeProvider;
    private readonly TryOnTelemetry _telemetry;
    private readonly IDisposable? _subscription;
    private volatile TryOnClientState _current;

    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public TryOnClientSettings(string name, IOptionsMonitor<TryOnClientOptions> monitor, TryOnRateLimiterRegistry rateLimiters, TimeProvider timeProvider, TryOnTelemetry telemetry)
    {
        _name = name;
        _rateLimiters = rateLimiters;
        _timeProvider = timeProvider;
        _telemetry = telemetry;

        // Subscribed before the first read, so a reload in between is not missed; it waits for the lock.
        lock (_gate)
        {
            _subscription = monitor.OnChange(Changed);
            try
            {
                _current = Derive(monitor.Get(name), previous: null);
            }
            catch
            {
                _subscription?.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// The state of the latest valid options, with the current limiter of their credential: when another client of the
    /// same credential changed its limits, the state is derived again (same options, the new limiter).
    /// </summary>
    public TryOnClientState Current
    {
        get
        {
            var current = _current;
            return current.LimiterVersion == _rateLimiters.Version ? current : Refreshed();
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void Changed(TryOnClientOptions options, string? name)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return;
        }

        lock (_gate)
        {
            _current = Derive(options, _current);
        }
    }

    private TryOnClientState Refreshed()
    {
        lock (_gate)
        {
            var current = _current;
            return current.LimiterVersion == _rateLimiters.Version ? current : _current = Derive(current.Options, current);
        }
    }

    private TryOnClientState Derive(TryOnClientOptions options, TryOnClientState? previous)
    {
        // Changed limits (or another store) replace the credential's limiter; unchanged ones keep (or, for a rotated
        // credential, join) it.
        var limitsChanged = previous is not null && previous.Options.RateLimit.Limits != options.RateLimit.Limits;
        var rateLimiter = _rateLimiters.For(options, replaceOtherLimits: limitsChanged, out var version);
        return new TryOnClientState(
            options,
            TryOnCredentials.Of(options, previous?.Credentials, _timeProvider),
            rateLimiter,
            TryOnResiliencePipeline.Create(options, _timeProvider, rateLimiter, _telemetry),
            TryOnResiliencePipeline.CreateForDownloads(options, _timeProvider, _telemetry),
            version);
    }
}
