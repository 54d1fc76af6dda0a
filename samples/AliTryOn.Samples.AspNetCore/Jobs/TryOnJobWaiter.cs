namespace AliTryOn.Samples.AspNetCore.Jobs;

/// <summary>
/// Waits for submitted jobs in the background: takes result keys from <see cref="TryOnJobQueue"/>, polls each job
/// with <see cref="TryOnClient.WaitForCompletionAsync"/> (several at once, up to a bound), and keeps the outcome in
/// <see cref="TryOnJobStore"/> for <c>GET /tryon/{resultKey}</c>.
/// </summary>
internal sealed partial class TryOnJobWaiter(
    TryOnJobQueue queue,
    TryOnJobStore store,
    IServiceProvider services,
    ILogger<TryOnJobWaiter> logger) : BackgroundService
{
    /// <summary>How many jobs are polled at once; each wait is mostly idle, so this bounds query traffic, not threads.</summary>
    internal const int MaxConcurrentWaits = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentWaits, CancellationToken = stoppingToken };
        try
        {
            await Parallel.ForEachAsync(queue.ReadAllAsync(stoppingToken), options, WaitForJobAsync);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down. The jobs go on in the service; GET /tryon/{key} queries them after a restart.
        }
    }

    private async ValueTask WaitForJobAsync(string resultKey, CancellationToken cancellationToken)
    {
        // TryOnClient is transient over IHttpClientFactory: a fresh one per job picks up rotated handlers (DNS changes).
        var client = services.GetRequiredService<TryOnClient>();
        try
        {
            var job = await client.WaitForCompletionAsync(
                resultKey,
                new TryOnWaitOptions { Progress = store.ProgressOf(resultKey) },
                cancellationToken);
            store.Complete(job);
            LogCompleted(logger, resultKey, job.SucceededTasks.Count, job.Tasks.Count);
        }
        catch (TryOnWaitTimeoutException e)
        {
            // Not an error: the job is slow. It goes on in the service, and the key still finds it.
            store.WaitTimedOut(resultKey, e.LastJob);
            LogTimedOut(logger, resultKey, e.Timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: leave the job as last seen.
        }
        catch (Exception e)
        {
            // Keep waiting for the other jobs whatever happened to this one. The SDK's messages never hold the AppCode.
            store.WaitFailed(resultKey, e is TryOnException or HttpRequestException ? e.Message : e.GetType().Name);
            LogWaitFailed(logger, e, resultKey, (e as TryOnException)?.RequestId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Try-on job {ResultKey} completed: {Succeeded} of {Total} tasks succeeded.")]
    private static partial void LogCompleted(ILogger logger, string resultKey, int succeeded, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Try-on job {ResultKey} was still running after {Timeout}; stopped waiting for it.")]
    private static partial void LogTimedOut(ILogger logger, string resultKey, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Waiting for try-on job {ResultKey} failed (service request id {RequestId}).")]
    private static partial void LogWaitFailed(ILogger logger, Exception exception, string resultKey, string? requestId);
}
