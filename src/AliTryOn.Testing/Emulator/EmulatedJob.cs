using System;
using System.Collections.Generic;
using AliTryOn.Testing.Wire;

namespace AliTryOn.Testing;

/// <summary>
/// A job in the emulator. Its tasks' statuses are computed from the clock when asked, so thousands of jobs cost
/// no timers: WAITING for the queue time, RUNNING for the mode's duration, then SUCCESS (or FAILED when scripted).
/// </summary>
internal sealed class EmulatedJob(string resultKey, DateTimeOffset createdAt, IReadOnlyList<SubmittedTask> tasks, IReadOnlyList<bool> fails)
{
    public string ResultKey { get; } = resultKey;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>When queries first find the job: its creation, unless a fault delays it.</summary>
    public DateTimeOffset VisibleAt { get; init; } = createdAt;

    public IReadOnlyList<SubmittedTask> Tasks { get; } = tasks;

    /// <summary>What the emulator received at each image URL it fetched (name and size), by URL; empty when it fetches none.</summary>
    public IReadOnlyDictionary<string, string> Received { get; init; } = new Dictionary<string, string>();

    /// <summary>An image as a result card names it: what was received, or its URL.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(url))]
    public string? Describe(string? url) => url is null ? null : Received.TryGetValue(url, out var received) ? received : url;

    public string StatusAt(int task, DateTimeOffset now, JobTimeline timeline)
    {
        var elapsed = now - CreatedAt;
        if (elapsed < timeline.QueueTime)
        {
            return "WAITING";
        }

        var running = Tasks[task].InferenceMode == 1 ? timeline.QualityDuration : timeline.FastDuration;
        if (elapsed < timeline.QueueTime + running)
        {
            return "RUNNING";
        }

        return fails[task] ? "FAILED" : "SUCCESS";
    }
}
