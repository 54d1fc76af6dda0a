namespace AliTryOn.Cli.Runs;

/// <summary>
/// One line of a state file's journal (<c>&lt;state file&gt;.journal</c>): a change to the batches since the state file
/// was last written whole. <see cref="Rows"/> absent: <see cref="Batch"/> is recorded (it replaces a batch of the same
/// rows, if there is one). <see cref="Rows"/> present: the batch of those rows becomes <see cref="Batch"/>, or goes when
/// it is absent. A row is in one batch of a state at most, so the rows name a batch, and replaying a change twice (a
/// journal already folded into the state file by a run that stopped before deleting it) changes nothing more.
/// </summary>
internal sealed record RunStateChange(IReadOnlyList<RunStateRow>? Rows, RunStateBatch? Batch);
