using System;

namespace AliTryOn;

/// <summary>
/// <see cref="TryOnClient.WaitForCompletionAsync(string, TryOnWaitOptions?, System.Threading.CancellationToken)"/> reached its time limit
/// before every task finished. The job goes on in the service: wait again later with <see cref="TryOnException.ResultKey"/>.
/// </summary>
public sealed class TryOnWaitTimeoutException : TryOnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resultKey">The key of the job that was being waited for.</param>
    /// <param name="timeout">The time limit that was reached.</param>
    /// <param name="lastJob">The last snapshot of the job, or <see langword="null"/> when no query completed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resultKey"/> is <see langword="null"/>.</exception>
    public TryOnWaitTimeoutException(string resultKey, TimeSpan timeout, TryOnJob? lastJob)
        : base(FormatMessage(resultKey, timeout, lastJob))
    {
        ResultKey = resultKey;
        Timeout = timeout;
        LastJob = lastJob;
    }

    /// <summary>The time limit that was reached.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The last snapshot of the job seen before the limit, or <see langword="null"/> when no query completed.</summary>
    public TryOnJob? LastJob { get; }

    /// <summary>Always <see langword="true"/>: the job is still going, so waiting again may succeed.</summary>
    public override bool IsRetryable => true;

    private static string FormatMessage(string resultKey, TimeSpan timeout, TryOnJob? lastJob)
    {
        if (resultKey is null)
        {
            throw new ArgumentNullException(nameof(resultKey));
        }

        var seen = lastJob is null
            ? "no status was received"
            : $"last statuses: {string.Join(", ", System.Linq.Enumerable.Select(lastJob.Tasks, static t => t.Status.Value))}";
        return $"Try-on job '{resultKey}' did not complete within {timeout} ({seen}). The job continues in the service; wait for it again with its result key.";
    }
}
