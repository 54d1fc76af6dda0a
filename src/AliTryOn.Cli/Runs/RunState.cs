namespace AliTryOn.Cli.Runs;

/// <summary>
/// The state file of a <c>run</c>: which manifest it belongs to (a hash of its tasks) and every batch submitted, with
/// its result key, so a re-run waits for those jobs instead of submitting them again.
/// </summary>
internal sealed record RunState(int Version, string ManifestHash, IReadOnlyList<RunStateBatch> Batches)
{
    public const int CurrentVersion = 1;
}
