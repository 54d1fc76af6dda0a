using System;
using System.Collections.Generic;

namespace AliTryOn;

/// <summary>
/// The response could not be read: a success with an empty, non-JSON or incomplete body (no result key), or a body
/// larger than the client accepts (1 MiB), or a job whose result links cannot all be downloaded (a link that is not an
/// absolute http(s) URL, or carries user information). <see cref="TryOnException.ResultKey"/> names the job when the
/// body still did. For a submit with a success status, the job may exist: <see cref="TryOnSubmitOutcomeUnknownException"/>
/// is raised instead, with this exception inside it.
/// </summary>
/// <remarks>
/// When only some links are unusable, <see cref="Job"/> holds the job as read, with the usable links, and
/// <see cref="TaskIndices"/> names the tasks that lost links: the other tasks' images can still be downloaded. A wait
/// goes on through such answers until every task has finished, then raises this exception with the last of them.
/// </remarks>
public sealed class TryOnInvalidResponseException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the response.</param>
    /// <param name="innerException">The parse error, if any.</param>
    public TryOnInvalidResponseException(string message, TryOnErrorDetails? details = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }

    /// <summary>
    /// The job as far as it could be read, when only some result links were unusable: every task with its status and
    /// its usable links. <see langword="null"/> when the body could not be read as a job.
    /// </summary>
    public TryOnJob? Job { get; init; }

    /// <summary>The indexes of the tasks whose result links were not all usable, in order; empty when <see cref="Job"/> is <see langword="null"/>.</summary>
    public IReadOnlyList<int> TaskIndices { get; init; } = [];

    /// <summary>
    /// Whether the same call may succeed if made again later: as for <see cref="TryOnException"/> (by HTTP status), and
    /// also for a query answered for another job than the one asked for, a mix-up that may pass.
    /// </summary>
    public override bool IsRetryable => MayPass || base.IsRetryable;

    /// <summary>The answer was for another job: asking again may give the right one.</summary>
    internal bool MayPass { get; init; }
}
