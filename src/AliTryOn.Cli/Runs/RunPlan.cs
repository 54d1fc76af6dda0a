using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// What a run works on: the manifest's entries, then the rows of recorded jobs that are no longer in it (their jobs are
/// waited for, so that each job's tasks keep their positions, but they are not reported), and the recorded batches as
/// positions in that list.
/// </summary>
/// <param name="Inputs">The tasks of the run: the manifest's rows first (<see cref="ManifestCount"/> of them), then recorded rows no longer in it.</param>
/// <param name="ManifestCount">How many of <see cref="Inputs"/> are the manifest's.</param>
/// <param name="SubmittedBatches">The recorded batches, as positions in <see cref="Inputs"/>.</param>
/// <param name="SavedImages">The images earlier runs recorded as saved, by their job's result key.</param>
internal sealed record RunPlan(IReadOnlyList<ManifestEntry> Inputs, int ManifestCount, IReadOnlyList<TryOnBulkBatch> SubmittedBatches, IReadOnlyDictionary<string, IReadOnlyList<RunStateImage>>? SavedImages = null)
{
    /// <summary>
    /// The files recorded as saved, each with the job and task that saved it last (compared as
    /// <see cref="RunStateStore.FileNames"/>): such a file holds that task's image, whatever an older report says (a row
    /// named by position that moved saves its image under another row's name, in the same job).
    /// </summary>
    public IReadOnlyDictionary<string, (string Job, int Task)> SavedFiles()
    {
        var files = new Dictionary<string, (string Job, int Task)>(RunStateStore.FileNames);
        foreach (var (key, saved) in SavedImages ?? new Dictionary<string, IReadOnlyList<RunStateImage>>())
        {
            foreach (var image in saved)
            {
                files[image.File] = (key, image.Task);
            }
        }

        return files;
    }

    /// <summary>What an earlier run recorded as saved of an image of a job's task, or <see langword="null"/>.</summary>
    /// <param name="resultKey">The job's key.</param>
    /// <param name="task">The task's index in the job.</param>
    /// <param name="image">The image's index in the task's results.</param>
    public RunStateImage? SavedImage(string? resultKey, int? task, int image) =>
        resultKey is not null && SavedImages is not null && SavedImages.TryGetValue(resultKey, out var saved)
            ? saved.FirstOrDefault(s => s.Task == task && s.Image == image)
            : null;

    /// <summary>The manifest's entries that no recorded batch holds, in order: what the run submits.</summary>
    public IReadOnlyList<ManifestEntry> Pending
    {
        get
        {
            var recorded = SubmittedBatches.SelectMany(b => b.InputIndices).ToHashSet();
            return [.. Inputs.Take(ManifestCount).Where((_, i) => !recorded.Contains(i))];
        }
    }

    /// <summary>
    /// The positions of <see cref="Inputs"/> in recorded batches without a result key: a run sent their job, or was about
    /// to, and never learned whether the service created it (it stopped, or the answer never came), so a run reports
    /// them unknown rather than submit them again.
    /// </summary>
    public IReadOnlySet<int> Unanswered => SubmittedBatches.Where(b => b.ResultKey is null).SelectMany(b => b.InputIndices).ToHashSet();

    /// <summary>
    /// The plan without some of the manifest's pending entries (refused before anything was sent): the others keep their
    /// order, and the recorded batches their rows.
    /// </summary>
    public RunPlan Without(IReadOnlySet<ManifestEntry> left)
    {
        if (left.Count == 0)
        {
            return this;
        }

        var kept = Enumerable.Range(0, Inputs.Count).Where(i => i >= ManifestCount || !left.Contains(Inputs[i])).ToArray();
        var position = new Dictionary<int, int>();
        for (var i = 0; i < kept.Length; i++)
        {
            position[kept[i]] = i;
        }

        return new RunPlan(
            [.. kept.Select(i => Inputs[i])],
            ManifestCount - Inputs.Take(ManifestCount).Count(left.Contains),
            [.. SubmittedBatches.Select(b => b with { InputIndices = [.. b.InputIndices.Select(i => position[i])] })],
            SavedImages);
    }
}
