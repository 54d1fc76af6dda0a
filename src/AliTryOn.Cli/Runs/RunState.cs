namespace AliTryOn.Cli.Runs;

/// <summary>
/// The state file of a <c>run</c>: every batch submitted, with its result key and its rows, each row by its identity
/// (its id and its task as written), so that a re-run waits for those jobs instead of submitting them again, even after
/// rows were added, removed or changed in the manifest. <see cref="Emulator"/> marks a run made with <c>--emulator</c>,
/// whose jobs ended with it.
/// </summary>
/// <param name="Version">
/// 3. A file of version 2 (URL images only; the same shape) is read as it is; one of version 1 (rows by position, for
/// one exact manifest) is read and upgraded. Version 3 may name local files, which earlier versions of the tool refuse.
/// </param>
/// <param name="Emulator">Whether the run used the in-process emulator.</param>
/// <param name="Batches">The batches submitted, in order.</param>
/// <param name="ManifestHash">Version 1 only: the hash of the manifest the positions refer to.</param>
internal sealed record RunState(int Version, bool Emulator, IReadOnlyList<RunStateBatch> Batches, string? ManifestHash = null)
{
    public const int CurrentVersion = 3;
}
