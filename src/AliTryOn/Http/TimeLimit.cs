using System;
using System.Threading;
using Polly.Timeout;

namespace AliTryOn.Http;

/// <summary>
/// One time limit (a call's whole time, one attempt's, a wait's): a token cancelled when the time on the client's clock
/// runs out or when the token it is given is, and whether a failure is the cancellation it caused.
/// </summary>
/// <remarks>
/// The client's calls keep their limits with this rather than with Polly's timeout strategy: each of those is a layer
/// of the pipeline around every call, where a token source with a timer is all a limit needs (see
/// <c>docs/benchmarks.md</c>). Their failures are still Polly's <see cref="TimeoutRejectedException"/>, which the retry
/// policies and the client's errors read.
/// </remarks>
internal sealed class TimeLimit : IDisposable
{
    /// <summary>
    /// The longest limit: what every runtime's token source holds (.NET Framework's takes at most
    /// <see cref="int.MaxValue"/> milliseconds, about 24.9 days), rounded down.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(24);

    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenRegistration _registration;
    private readonly TimeSpan _timeout;
#if !NET8_0_OR_GREATER
    private readonly ITimer? _timer;
#endif

    private TimeLimit(TimeSpan timeout, CancellationToken outer, TimeProvider timeProvider)
    {
        _timeout = timeout;
        _outer = outer;
#if NET8_0_OR_GREATER
        _source = new CancellationTokenSource(timeout, timeProvider);
#else
        // Not the package's CreateCancellationTokenSource: on another clock than the system's, it leaves the timer
        // running until it fires, however soon the limit is disposed.
        if (timeProvider == TimeProvider.System)
        {
            _source = new CancellationTokenSource(timeout);
        }
        else
        {
            _source = new CancellationTokenSource();
            _timer = timeProvider.CreateTimer(static source => CancelQuietly((CancellationTokenSource)source!), _source, timeout, Timeout.InfiniteTimeSpan);
        }
#endif
        if (outer.CanBeCanceled)
        {
            // The callback only cancels a token source: it needs none of the caller's execution context.
#if NET8_0_OR_GREATER
            _registration = outer.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
#else
            _registration = outer.Register(static source => ((CancellationTokenSource)source!).Cancel(), _source); // no UnsafeRegister there
#endif
        }
    }

    /// <summary>Cancelled when <see cref="Start"/>'s time runs out or its token is cancelled.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>
    /// A limit of <paramref name="timeout"/> (at most <see cref="Longest"/>) from now within <paramref name="outer"/>,
    /// or <see langword="null"/> when <paramref name="timeout"/> is <see cref="Timeout.InfiniteTimeSpan"/> (no limit:
    /// use <paramref name="outer"/>).
    /// </summary>
    public static TimeLimit? Start(TimeSpan timeout, CancellationToken outer, TimeProvider timeProvider) =>
        timeout == Timeout.InfiniteTimeSpan ? null : new TimeLimit(timeout, outer, timeProvider);

    /// <summary>
    /// Whether <paramref name="exception"/> is the cancellation this limit caused: its time ran out and the outer token
    /// was not cancelled.
    /// </summary>
    public bool Caused(Exception exception) =>
        exception is OperationCanceledException && _source.IsCancellationRequested && !_outer.IsCancellationRequested;

    /// <summary>
    /// <paramref name="exception"/> as the caller should see it: a <see cref="TimeoutRejectedException"/> naming the
    /// limit when this limit <see cref="Caused"/> it, else <paramref name="exception"/> itself.
    /// </summary>
    public Exception Translate(Exception exception) =>
        Caused(exception)
            ? new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{_timeout}'.", _timeout, exception)
            : exception;

    /// <summary>
    /// Cancels <paramref name="source"/> from a timer's callback, which may run just after its owner disposed it: a
    /// throw there, on a timer's thread, would end the process.
    /// </summary>
    public static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed: whatever read its token is done with it.
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
#if !NET8_0_OR_GREATER
        _timer?.Dispose();
#endif
        _source.Dispose();
    }
}
