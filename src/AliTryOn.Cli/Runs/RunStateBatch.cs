namespace AliTryOn.Cli.Runs;

/// <summary>A submitted batch: its job's result key (null when the submit's outcome is unknown) and the manifest rows in it (0-based).</summary>
internal sealed record RunStateBatch(string? ResultKey, IReadOnlyList<int> InputIndices);
