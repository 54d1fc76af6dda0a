using System;
using System.Threading;
using Polly.Timeout;

namespace AliTryOn.Http;

/// <summary>
/// A time limit on part of a call (the whole call, or one attempt), kept by the resilience handler itself rather than
/// by a Polly timeout strategy: a Polly layer costs several times the limit's own work on every call. It behaves as
/// Polly's does: a token cancelled when the limit passes on the client's clock or when the outer token is cancelled,
/// and an <see cref="OperationCanceledException"/> caused by the limit alone reported as a
/// <see cref="TimeoutRejectedException"/>, which the retry policy and the failure translator know.
/// </summary>
internal readonly struct TimeLimit : IDisposable
{
    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _registration;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _limit;

    private TimeLimit(TimeSpan limit, TimeProvider timeProvider, CancellationToken outer)
    {
        _limit = limit;
        _outer = outer;
        if (limit == Timeout.InfiniteTimeSpan)
        {
            return;
        }

#if NET8_0_OR_GREATER
        _source = new CancellationTokenSource(limit, timeProvider);
#else
        _source = System.Threading.Tasks.TimeProviderTaskExtensions.CreateCancellationTokenSource(timeProvider, limit);
#endif
        if (outer.CanBeCanceled)
        {
            _registration = outer.Register(static source => ((CancellationTokenSource)source!).Cancel(), _source);
        }
    }

    /// <summary>Cancelled when the limit passes or <see cref="_outer"/> is cancelled; the outer token itself when there is no limit.</summary>
    public CancellationToken Token => _source?.Token ?? _outer;

    /// <summary>Starts a limit of <paramref name="limit"/> (<see cref="Timeout.InfiniteTimeSpan"/> for none) within <paramref name="outer"/>.</summary>
    public static TimeLimit Start(TimeSpan limit, TimeProvider timeProvider, CancellationToken outer) => new(limit, timeProvider, outer);

    /// <summary>
    /// The <see cref="TimeoutRejectedException"/> to report instead of <paramref name="exception"/> when it is a
    /// cancellation that this limit caused (not the outer token); <see langword="null"/> otherwise.
    /// </summary>
    public TimeoutRejectedException? TimedOut(Exception exception) =>
        exception is OperationCanceledException && _source is { IsCancellationRequested: true } && !_outer.IsCancellationRequested
            ? new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{_limit}'.", _limit, exception)
            : null;

    public void Dispose()
    {
        _registration.Dispose();
        _source?.Dispose();
    }
}
