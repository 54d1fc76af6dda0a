using System;
using System.Net.Http;

namespace AliTryOn.Http;

/// <summary>
/// A request the client sends, carrying its <see cref="TryOnOperation"/> as a field (setting it in
/// <see cref="HttpRequestMessage"/>'s options would allocate the options dictionary and a boxed value on every call),
/// and the record of its attempts: whether any of them may have reached the service without an answer ruling a job out.
/// </summary>
/// <remarks>
/// <para>
/// The resilience handler starts the record and closes each attempt with its answer. The <see cref="TransportTracker"/>,
/// the innermost handler, counts a send each time it hands the request to the transport, and takes it back when the
/// transport reports a connection that could not be made. A cancellation or a time limit while the transport connects
/// cannot be told from one after the request went out, so it counts as sent: the record errs only towards "a job may
/// exist", never towards a second job.
/// </para>
/// <para>
/// Attempts are sequential (Polly awaits each one before the next), so plain fields suffice. Within one attempt the
/// transport may be called more than once (an application's handler that repeats a send on its own): every send then
/// counts, and a refusal clears only the send that it answered.
/// </para>
/// </remarks>
internal sealed class TryOnRequestMessage : HttpRequestMessage
{
    private int _sentThisAttempt;
    private int _unsentThisAttempt;
    private bool _refusedThisAttempt;
    private bool _earlierAttemptInDoubt;

    public TryOnRequestMessage(TryOnOperation operation, Uri uri)
        : base(HttpMethod.Post, uri)
    {
        Operation = operation;
    }

    public TryOnOperation Operation { get; }

    /// <summary>
    /// When the work this call serves began, a timestamp of the client's clock (<see cref="WorkOrigin"/>); calls waiting
    /// for a rate-limit permit are served oldest first. <see langword="null"/>: when the permit is asked for.
    /// </summary>
    public long? Origin { get; set; }

    /// <summary>
    /// When the grace of this submit's attempt began (<see cref="SubmitAnswerGrace"/>), a timestamp of the client's
    /// clock: the first cancellation one of its graces saw. The graces of its send and of its answer's read share it,
    /// so the attempt waits no longer than one grace after it was cancelled. <see langword="null"/>: none has begun.
    /// </summary>
    public long? GraceStartedAt { get; set; }

    /// <summary>
    /// Whether a resilience handler, and with it a <see cref="TransportTracker"/>, follows this request's attempts.
    /// Without one (an <see cref="HttpClient"/> the user built) nothing is known, and every doubt counts.
    /// </summary>
    public bool IsTracked { get; private set; }

    /// <summary>
    /// Whether some attempt may have reached the service without an answer that rules a job out: an untracked request
    /// always may; a tracked one if one of its sends went out and was neither answered with a refusal nor failed
    /// before leaving.
    /// </summary>
    public bool MayHaveCreatedJob => !IsTracked || _earlierAttemptInDoubt || CurrentAttemptInDoubt;

    /// <summary>The last attempt's answer that proved no job was created (throttling…), if any: what the call failed with.</summary>
    public TryOnAnswer? LastRefusal { get; private set; }

    /// <summary>
    /// Sends of this attempt that went out and were not taken back: a refusal answers one of them (the last), so the
    /// attempt is in doubt while any other remains.
    /// </summary>
    private bool CurrentAttemptInDoubt => _sentThisAttempt - _unsentThisAttempt > (_refusedThisAttempt ? 1 : 0);

    /// <summary>Whether an attempt began (its rate-limit permits granted): with none, nothing was handed to the transport.</summary>
    public bool HasAttempted { get; private set; }

    /// <summary>The resilience handler starts following the call.</summary>
    public void StartTracking() => IsTracked = true;

    /// <summary>
    /// An attempt starts (after its rate-limit permit). The one before it is settled: the retry policy never repeats a
    /// submit in doubt, and this keeps the record right even if it did.
    /// </summary>
    public void BeginAttempt()
    {
        HasAttempted = true;
        _earlierAttemptInDoubt |= CurrentAttemptInDoubt;
        _sentThisAttempt = 0;
        _unsentThisAttempt = 0;
        _refusedThisAttempt = false;
        GraceStartedAt = null;
    }

    /// <summary>The transport tracker hands the request to the transport: a send.</summary>
    public void MarkSent() => _sentThisAttempt++;

    /// <summary>The transport failed before sending (no connection could be made): the last send never reached the service.</summary>
    public void MarkNotSent()
    {
        if (_sentThisAttempt > _unsentThisAttempt)
        {
            _unsentThisAttempt++;
        }
    }

    /// <summary>
    /// An answer came back: it proves a send, also where no tracker counted one (an application's handler that answers
    /// itself), so an answer in doubt (a 5xx) is never taken for "nothing sent".
    /// </summary>
    public void MarkAnswered()
    {
        if (_sentThisAttempt == _unsentThisAttempt)
        {
            _sentThisAttempt++;
        }
    }

    /// <summary>The attempt was answered with a refusal, which proves that the send it answers created no job.</summary>
    public void MarkRefused(TryOnAnswer answer)
    {
        _refusedThisAttempt = true;
        LastRefusal = answer;
    }
}
