using System;
using System.Threading;

namespace AliTryOn;

/// <summary>
/// A submit was cancelled by its caller's token. It is an <see cref="OperationCanceledException"/>, so code that
/// handles cancellation handles it; <see cref="MayHaveCreatedJob"/> says whether the job may exist.
/// </summary>
/// <remarks>
/// <see langword="false"/> when no attempt reached the service, or every one that did was refused: nothing was created
/// and the tasks may be submitted again. <see langword="true"/> when an attempt had been sent and was not answered: the
/// service may have created, and billed, the job; the API cannot list jobs, so resubmitting risks a duplicate.
/// </remarks>
public sealed class TryOnSubmitCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="mayHaveCreatedJob">Whether an attempt had been sent and was not answered when the call was cancelled.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    /// <param name="innerException">The cancellation as the transport or the pipeline reported it, if any.</param>
    public TryOnSubmitCanceledException(string message, bool mayHaveCreatedJob, CancellationToken cancellationToken, Exception? innerException = null)
        : base(message, innerException, cancellationToken)
    {
        MayHaveCreatedJob = mayHaveCreatedJob;
    }

    /// <summary>
    /// Whether the service may have created (and billed) the job: an attempt was sent and no answer came before the
    /// cancellation. <see langword="false"/>: nothing was created; submitting again is safe.
    /// </summary>
    public bool MayHaveCreatedJob { get; }

    /// <summary>When the submit was sent, on the client's clock, if it may have created a job; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The <c>X-Ca-Nonce</c> of the last attempt sent, for the vendor to trace it; <see langword="null"/> when none was sent.</summary>
    public string? Nonce { get; init; }
}
