using System.Text.Json.Serialization;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// A submitted batch: its job's result key (null when the submit's outcome is unknown) and its rows, in the job's task
/// order (<see cref="InputIndices"/>, the 0-based manifest positions, in a file of version 1); the keys of the local
/// images published for its job, which a later run deletes when it sees the job finish (absent when there are none);
/// and the images of its job saved so far (<see cref="RunStateImage"/>; absent when there are none).
/// </summary>
/// <remarks>
/// <see cref="Saved"/> is left out of the file when absent, so a state without it reads as earlier versions wrote it;
/// an earlier version reading it ignores it (and its next run fetches those images again).
/// </remarks>
internal sealed record RunStateBatch(
    string? ResultKey,
    IReadOnlyList<RunStateRow>? Rows = null,
    IReadOnlyList<int>? InputIndices = null,
    IReadOnlyList<string>? ImageKeys = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunStateImage>? Saved = null);
