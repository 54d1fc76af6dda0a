using System;

namespace AliTryOn;

/// <summary>Per-call settings of <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, System.Threading.CancellationToken)"/>.</summary>
public sealed record TryOnWaitOptions
{
    /// <summary>
    /// The time limit of this wait, or <see langword="null"/> (the default) for the client's
    /// <see cref="TryOnPollingOptions.Timeout"/>. Positive, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// How many failed queries in a row this wait tolerates, or <see langword="null"/> (the default) for the client's
    /// <see cref="TryOnPollingOptions.MaxConsecutiveFailedQueries"/> (3). From 0 to 100.
    /// </summary>
    public int? MaxConsecutiveFailedQueries { get; init; }

    /// <summary>
    /// Receives the job each time the status of one of its tasks changes, including the first status seen.
    /// Default: <see langword="null"/> (no reports).
    /// </summary>
    public IProgress<TryOnJob>? Progress { get; init; }

    /// <summary>
    /// Throw <see cref="TryOnJobFailedException"/> (carrying the job) when the job completes with any task
    /// <see cref="TryOnTaskStatus.Failed"/>. Default: <see langword="false"/>: return the job, whose successful
    /// tasks still have their images.
    /// </summary>
    public bool ThrowOnFailedTasks { get; init; }
}
