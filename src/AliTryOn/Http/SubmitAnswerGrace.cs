using System;
using System.Net.Http;
using System.Threading;

namespace AliTryOn.Http;

/// <summary>
/// The token a submit's answer is read with once its headers have arrived. That answer names a job that exists and is
/// billed, and its key can be learned nowhere else (the API cannot list jobs): so a cancellation, or a time limit, that
/// comes while its body is being read lets the read go on for <see cref="Grace"/> more before it gives up. A bulk run's
/// submit already handed to the transport gets the same grace when the run is cancelled (<see cref="ForSent"/>), so
/// that the run still learns, and records, the job's key when the answer comes in time. An attempt has one grace,
/// from the first cancellation one of its graces saw: a sent submit's answer whose headers come late in it is read in
/// what is left, not in a grace of its own.
/// </summary>
internal sealed class SubmitAnswerGrace : IDisposable
{
    /// <summary>How long a submit's body is still read after the call was cancelled: far more than a body of a few KiB takes.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _source = new();
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _registration;

    /// <summary>
    /// Cancelled at the end of <paramref name="request"/>'s grace once <paramref name="cancellationToken"/> is, when
    /// <paramref name="graced"/> is too, or is not given; at once otherwise.
    /// </summary>
    private SubmitAnswerGrace(TryOnRequestMessage request, CancellationToken cancellationToken, TimeProvider timeProvider, CancellationToken? graced = null)
    {
        _timer = timeProvider.CreateTimer(static source => TimeLimit.CancelQuietly((CancellationTokenSource)source!), _source, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _registration = cancellationToken.Register(() =>
        {
            if (graced is not { } only || only.IsCancellationRequested)
            {
                var started = request.GraceStartedAt ??= timeProvider.GetTimestamp();
                var left = Grace - timeProvider.GetElapsedTime(started);
                _timer.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
            else
            {
                TimeLimit.CancelQuietly(_source); // a time limit: it ends the send as it always did
            }
        });
    }

    /// <summary>Cancelled <see cref="Grace"/> after the call's own token.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The read's token and what to dispose after it: for a submit, one that outlasts <paramref name="cancellationToken"/> by <see cref="Grace"/>; otherwise the call's own.</summary>
    public static SubmitAnswerGrace? For(HttpRequestMessage? request, CancellationToken cancellationToken, TimeProvider timeProvider, out CancellationToken readToken)
    {
        if (request is not TryOnRequestMessage { Operation: TryOnOperation.Submit } submit)
        {
            readToken = cancellationToken;
            return null;
        }

        var grace = new SubmitAnswerGrace(submit, cancellationToken, timeProvider);
        readToken = grace.Token;
        return grace;
    }

    /// <summary>
    /// The token a sent submit, <paramref name="request"/>, is handed to the transport with: cancelled at the end of
    /// its grace after <paramref name="cancellationToken"/> when that comes from <paramref name="runCancellation"/>
    /// (the cancellation of the call's token follows it), with it otherwise.
    /// </summary>
    public static SubmitAnswerGrace ForSent(TryOnRequestMessage request, CancellationToken cancellationToken, CancellationToken runCancellation, TimeProvider timeProvider) =>
        new(request, cancellationToken, timeProvider, runCancellation);

    public void Dispose()
    {
        _registration.Dispose();
        _timer.Dispose();
        _source.Dispose();
    }
}
