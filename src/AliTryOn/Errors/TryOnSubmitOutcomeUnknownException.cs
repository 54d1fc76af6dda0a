using System;
using System.Collections.Generic;

namespace AliTryOn;

/// <summary>
/// A submit failed in a way that does not tell whether the service created the job: the call timed out, the
/// connection broke after the request was sent, the service or its gateway answered with a 5xx (also "the job
/// failed", code 23500011, which speaks of a job), or it answered with a success status but a body it could not read
/// or an error it cannot classify (a code it does not know, or <c>success: false</c> with none). The job may exist and be billed, so the client did not retry.
/// </summary>
/// <remarks>
/// When <see cref="TryOnException.ResultKey"/> is set, the job exists: query it or wait for it. Otherwise resubmitting may create,
/// and bill, a second job. The service offers no way to list jobs, so if the outcome matters, contact the vendor with
/// <see cref="TryOnException.RequestId"/> (when the service answered), <see cref="Nonce"/> and <see cref="SentAt"/>,
/// or accept the risk and resubmit <see cref="Tasks"/>.
/// </remarks>
public sealed class TryOnSubmitOutcomeUnknownException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response, if there was one.</param>
    /// <param name="innerException">The failure that left the outcome unknown.</param>
    public TryOnSubmitOutcomeUnknownException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }


    /// <summary>The tasks of the submit, to resubmit if you accept the risk of a duplicate.</summary>
    public IReadOnlyList<TryOnTask> Tasks { get; init; } = [];

    /// <summary>When the submit was sent, on the client's clock; <see langword="null"/> when unknown.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The <c>X-Ca-Nonce</c> of the last attempt (not a secret: each is used once), for the vendor to trace it.</summary>
    public string? Nonce { get; init; }

    /// <summary>Always <see langword="false"/>: retrying may create and bill a second job.</summary>
    public override bool IsRetryable => false;
}
