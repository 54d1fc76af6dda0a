namespace AliTryOn.Samples.AspNetCore.Jobs;

/// <summary>What the app knows about a job it submitted.</summary>
/// <param name="Job">The latest snapshot: from the submit, the waiter's progress, or the final one.</param>
/// <param name="State">Where the background wait stands.</param>
/// <param name="Note">Why the wait stopped early, for <see cref="TrackedJobState.WaitTimedOut"/> and <see cref="TrackedJobState.WaitFailed"/>.</param>
internal sealed record TrackedJob(TryOnJob Job, TrackedJobState State, string? Note = null);
