namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>The answer to <c>GET /tryon/{resultKey}</c>.</summary>
/// <param name="ResultKey">The job's key.</param>
/// <param name="HasCompleted">Whether every task has finished, successfully or not.</param>
/// <param name="Tasks">Each task's status, in the order submitted.</param>
/// <param name="Note">Anything worth knowing about this answer, for example that the background wait gave up.</param>
public sealed record JobStatusResponse(string ResultKey, bool HasCompleted, IReadOnlyList<TaskStatusResponse> Tasks, string? Note = null);
