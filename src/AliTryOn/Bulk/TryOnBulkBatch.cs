using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>
/// A batch of a bulk run that was submitted: the job it created and which inputs it holds. Reported by
/// <see cref="TryOnBulkOptions.OnBatchSubmitted"/>; persist it, and pass it back in
/// <see cref="TryOnBulkOptions.SubmittedBatches"/> to resume a run without submitting its tasks again.
/// </summary>
/// <param name="ResultKey">
/// The job's result key; <see langword="null"/> when the submit's outcome is unknown and named no job (the job may
/// exist, so a resumed run reports its tasks as <see cref="TryOnBulkStatus.OutcomeUnknown"/> rather than resubmit them).
/// </param>
/// <param name="InputIndices">
/// The indexes, in the run's input list, of the job's tasks, in the job's task order: the task at position <c>i</c>
/// of the job is input <c>InputIndices[i]</c>. Between 1 and 10 of them.
/// </param>
/// <remarks>Two batches are equal when their data are, the indexes and keys in order (a batch read back from JSON equals the one written).</remarks>
public sealed record TryOnBulkBatch(string? ResultKey, [property: JsonRequired] IReadOnlyList<int> InputIndices) : IJsonOnDeserialized
{
    /// <summary>
    /// The keys, in the client's image host, of the local images the client published for this job and will delete
    /// when it sees the job finish (<see cref="TryOnImageOptions.Cleanup"/>). Default: none (no local images, cleanup
    /// off, or a job whose images are already gone). Persist them with the batch: a resumed run given them deletes them
    /// when it sees the job finish, so a run stopped before its jobs ended leaves no images behind.
    /// </summary>
    public IReadOnlyList<string> ImageKeys
    {
        get => _imageKeys;
        init => _imageKeys = value ?? []; // "imageKeys": null in a store reads as none
    }

    private readonly IReadOnlyList<string> _imageKeys = [];

    /// <summary>Whether <paramref name="other"/> has the same data: key, and the same indexes and image keys in order.</summary>
    /// <param name="other">The batch to compare with.</param>
    public bool Equals(TryOnBulkBatch? other) =>
        other is not null
        && string.Equals(ResultKey, other.ResultKey, StringComparison.Ordinal)
        && ModelEquality.SameItems(InputIndices, other.InputIndices)
        && ModelEquality.SameItems(ImageKeys, other.ImageKeys);

    /// <inheritdoc/>
    public override int GetHashCode() => ModelEquality.Hash(ResultKey, InputIndices);

    /// <summary>Refuses a batch read from JSON with <c>null</c> for its indexes, which [JsonRequired] lets through.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (InputIndices is null)
        {
            throw new System.Text.Json.JsonException("A bulk batch's inputIndices is null; a batch lists the indexes of its inputs.");
        }
    }
}
