namespace AliTryOn.Benchmarks.Support;

/// <summary>The parts of an answer every contender must have read: result key, request id, task statuses and result URLs.</summary>
public sealed record ContenderAnswer(string ResultKey, string? RequestId, string Statuses, int ResultUrlCount);
