using System;
using System.Net.Http;

namespace AliTryOn.Http;

/// <summary>
/// A request the client sends, carrying its <see cref="TryOnOperation"/> as a field (setting it in
/// <see cref="HttpRequestMessage"/>'s options would allocate the options dictionary and a boxed value on every call),
/// and what became of its attempts: whether any of them may have reached the service without a clear answer.
/// </summary>
/// <remarks>
/// The resilience handler starts the record and closes each attempt with its answer; the <see cref="TransportTracker"/>,
/// the innermost handler, marks an attempt sent when it hands the request to the transport, and unsent again when the
/// transport fails before sending. Attempts are sequential (Polly awaits each one), so plain fields suffice.
/// </remarks>
internal sealed class TryOnRequestMessage(TryOnOperation operation, Uri uri) : HttpRequestMessage(HttpMethod.Post, uri)
{
    private bool _currentAttemptSent;
    private bool _earlierAttemptInDoubt;

    public TryOnOperation Operation { get; } = operation;

    /// <summary>
    /// Whether a resilience handler, and with it a <see cref="TransportTracker"/>, follows this request's attempts.
    /// Without one (an <see cref="HttpClient"/> the user built) nothing is known, and every doubt counts.
    /// </summary>
    public bool IsTracked { get; private set; }

    /// <summary>How many attempts were handed to the transport.</summary>
    public int AttemptsSent { get; private set; }

    /// <summary>
    /// Whether some attempt may have reached the service without an answer that rules out a job: an untracked request
    /// always may; a tracked one only if an attempt reached the transport and neither failed before sending nor was
    /// answered with a refusal.
    /// </summary>
    public bool MayHaveCreatedJob => !IsTracked || _currentAttemptSent || _earlierAttemptInDoubt;

    /// <summary>The last attempt's answer that proved no job was created (throttling…), if any: what the call failed with.</summary>
    public TryOnAnswer? LastRefusal { get; private set; }

    /// <summary>The resilience handler starts following the call.</summary>
    public void StartTracking() => IsTracked = true;

    /// <summary>An attempt starts (after its rate-limit permit); the one before it is settled.</summary>
    public void BeginAttempt()
    {
        _earlierAttemptInDoubt |= _currentAttemptSent;
        _currentAttemptSent = false;
    }

    /// <summary>The transport tracker hands the attempt to the transport.</summary>
    public void MarkSent()
    {
        _currentAttemptSent = true;
        AttemptsSent++;
    }

    /// <summary>The transport failed before sending (no connection): the attempt never reached the service.</summary>
    public void MarkNotSent() => _currentAttemptSent = false;

    /// <summary>The attempt was answered with a refusal, which proves it created no job.</summary>
    public void MarkRefused(TryOnAnswer answer)
    {
        _currentAttemptSent = false;
        LastRefusal = answer;
    }
}
