using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// What a run works on: the manifest's entries, then the rows of recorded jobs that are no longer in it (their jobs are
/// waited for, so that each job's tasks keep their positions, but they are not reported), and the recorded batches as
/// positions in that list.
/// </summary>
internal sealed record RunPlan(IReadOnlyList<ManifestEntry> Inputs, int ManifestCount, IReadOnlyList<TryOnBulkBatch> SubmittedBatches);
