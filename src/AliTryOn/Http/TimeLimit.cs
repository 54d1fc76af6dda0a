using System;
using System.Threading;
#if !NET8_0_OR_GREATER
using System.Threading.Tasks;
#endif
using Polly.Timeout;

namespace AliTryOn.Http;

/// <summary>
/// One time limit of a call (its whole time, or one attempt's): a token cancelled when the time on the client's clock
/// runs out or when the token it is given is, and the translation of the cancellation it caused into Polly's
/// <see cref="TimeoutRejectedException"/>, which the retry policies and the client's errors already read.
/// </summary>
/// <remarks>
/// Kept by hand rather than by Polly's timeout strategy: each of those is a layer of the pipeline around every call
/// (about 0.2 µs apiece here, most of the gap to the hand-written baseline; see <c>docs/benchmarks.md</c>), where a
/// token source with a timer is all a limit needs.
/// </remarks>
internal sealed class TimeLimit : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenRegistration _registration;
    private readonly TimeSpan _timeout;

    private TimeLimit(TimeSpan timeout, CancellationToken outer, TimeProvider timeProvider)
    {
        _timeout = timeout;
        _outer = outer;
#if NET8_0_OR_GREATER
        _source = new CancellationTokenSource(timeout, timeProvider);
#else
        _source = timeProvider.CreateCancellationTokenSource(timeout);
#endif
        if (outer.CanBeCanceled)
        {
#if NET8_0_OR_GREATER
            _registration = outer.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
#else
            _registration = outer.Register(static source => ((CancellationTokenSource)source!).Cancel(), _source);
#endif
        }
    }

    /// <summary>Cancelled when <see cref="Start"/>'s time runs out or its token is cancelled.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>
    /// A limit of <paramref name="timeout"/> from now within <paramref name="outer"/>, or <see langword="null"/> when
    /// <paramref name="timeout"/> is <see cref="Timeout.InfiniteTimeSpan"/> (no limit: use <paramref name="outer"/>).
    /// </summary>
    public static TimeLimit? Start(TimeSpan timeout, CancellationToken outer, TimeProvider timeProvider) =>
        timeout == Timeout.InfiniteTimeSpan ? null : new TimeLimit(timeout, outer, timeProvider);

    /// <summary>
    /// <paramref name="exception"/> as the caller should see it: a <see cref="TimeoutRejectedException"/> naming the
    /// limit when it is the cancellation this limit caused (its time ran out, the outer token was not cancelled), else
    /// <paramref name="exception"/> itself.
    /// </summary>
    public Exception Translate(Exception exception) =>
        exception is OperationCanceledException && _source.IsCancellationRequested && !_outer.IsCancellationRequested
            ? new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{_timeout}'.", _timeout, exception)
            : exception;

    public void Dispose()
    {
        _registration.Dispose();
        _source.Dispose();
    }
}
