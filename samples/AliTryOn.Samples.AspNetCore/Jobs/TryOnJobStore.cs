using System.Collections.Concurrent;

namespace AliTryOn.Samples.AspNetCore.Jobs;

/// <summary>
/// The jobs this process submitted, by result key. Thread-safe. In memory, so a sample: a real app would keep
/// them in a database and drop old ones. Losing them is harmless: the result key alone recovers a job from the
/// service (<see cref="TryOnClient.QueryAsync"/>).
/// </summary>
internal sealed class TryOnJobStore
{
    private readonly ConcurrentDictionary<string, TrackedJob> _jobs = new(StringComparer.Ordinal);

    public TrackedJob? Find(string resultKey) => _jobs.GetValueOrDefault(resultKey);

    /// <summary>Starts tracking a job just submitted.</summary>
    public void Track(TryOnJob submitted) => _jobs[submitted.ResultKey] = new TrackedJob(submitted, TrackedJobState.Waiting);

    /// <summary>Receives the waiter's snapshots while it polls, so <c>GET /tryon/{key}</c> shows progress.</summary>
    public IProgress<TryOnJob> ProgressOf(string resultKey) => new WaitProgress(this, resultKey);

    public void Complete(TryOnJob job) => _jobs[job.ResultKey] = new TrackedJob(job, TrackedJobState.Completed);

    public void WaitTimedOut(string resultKey, TryOnJob? lastSeen) =>
        StopWaiting(resultKey, lastSeen, TrackedJobState.WaitTimedOut, "The background wait reached its time limit (AliTryOn:Polling:Timeout) and the job was still running; this status comes from the service. Ask again later.");

    public void WaitFailed(string resultKey, string reason) =>
        StopWaiting(resultKey, lastSeen: null, TrackedJobState.WaitFailed, $"The background wait failed ({reason}); this status comes from the service.");

    private void StopWaiting(string resultKey, TryOnJob? lastSeen, TrackedJobState state, string note)
    {
        // Only the waiter calls this, for a job it tracks, after its last progress report: no race to guard.
        if ((lastSeen ?? Find(resultKey)?.Job) is { } job)
        {
            _jobs[resultKey] = new TrackedJob(job, state, note);
        }
    }

    /// <summary>Reports land synchronously (unlike <see cref="Progress{T}"/>), so they never overtake the final result.</summary>
    private sealed class WaitProgress(TryOnJobStore store, string resultKey) : IProgress<TryOnJob>
    {
        public void Report(TryOnJob value) =>
            store._jobs.AddOrUpdate(
                resultKey,
                _ => new TrackedJob(value, TrackedJobState.Waiting),
                (_, old) => old.State == TrackedJobState.Waiting ? old with { Job = value } : old);
    }
}
