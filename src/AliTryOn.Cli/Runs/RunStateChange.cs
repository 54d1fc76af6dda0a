using System.Text.Json.Serialization;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// One line of a state file's journal (<c>&lt;state file&gt;.journal</c>): a change to the batches since the state file
/// was last written whole. <see cref="Saved"/> present: the batch of the job <see cref="ResultKey"/> has saved that
/// image (any other batch's record of the same file goes: the file is no longer its image). Otherwise, <see cref="Rows"/>
/// absent: <see cref="Batch"/> is recorded (it replaces a batch of the same rows, if there is one); <see cref="Rows"/>
/// present: the batch of those rows becomes <see cref="Batch"/>, or goes when it is absent. A row is in one batch of a
/// state at most, so the rows name a batch, and replaying a change twice (a journal already folded into the state file
/// by a run that stopped before deleting it) changes nothing more.
/// </summary>
/// <remarks>
/// A saved image's line has neither rows nor a batch, which an earlier version of the tool reads as no change.
/// </remarks>
internal sealed record RunStateChange(
    IReadOnlyList<RunStateRow>? Rows,
    RunStateBatch? Batch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResultKey = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunStateImage? Saved = null);
