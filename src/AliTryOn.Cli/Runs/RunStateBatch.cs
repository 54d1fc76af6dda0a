namespace AliTryOn.Cli.Runs;

/// <summary>
/// A submitted batch: its job's result key (null when the submit's outcome is unknown) and its rows, in the job's task
/// order (<see cref="InputIndices"/>, the 0-based manifest positions, in a file of version 1); and the keys of the local
/// images published for its job, which a later run deletes when it sees the job finish (absent when there are none).
/// </summary>
internal sealed record RunStateBatch(string? ResultKey, IReadOnlyList<RunStateRow>? Rows = null, IReadOnlyList<int>? InputIndices = null, IReadOnlyList<string>? ImageKeys = null);
