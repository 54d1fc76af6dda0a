using System;

namespace AliTryOn;

/// <summary>
/// A job failed: the service answered a query with code 23500011, or <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, System.Threading.CancellationToken)"/>
/// was asked to throw (<see cref="TryOnWaitOptions.ThrowOnFailedTasks"/>) and some tasks ended <see cref="TryOnTaskStatus.Failed"/>.
/// The same code answering a submit speaks of a job that may be billed: it is a
/// <see cref="TryOnSubmitOutcomeUnknownException"/>, with this exception inside.
/// </summary>
public sealed class TryOnJobFailedException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnJobFailedException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>
    /// The job with its per-task outcomes, when the failure was seen in a completed job (the successful tasks'
    /// images are still there); <see langword="null"/> when the service reported the failure as an error code.
    /// </summary>
    public TryOnJob? Job { get; init; }

    /// <summary>Always <see langword="false"/>: the job has ended.</summary>
    public override bool IsRetryable => false;
}
