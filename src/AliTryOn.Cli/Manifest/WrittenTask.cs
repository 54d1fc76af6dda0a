using System.Text.Json.Serialization;

namespace AliTryOn.Cli.Manifest;

/// <summary>
/// A task as the manifest wrote it, the form in which the state file records a row: each image as its text (an http or
/// https URL, or a local path exactly as written, not resolved), and, for a row with local images,
/// <see cref="LocalImagesSha256"/>, a SHA-256 of their contents. The same id and the same written task are the same row
/// (its job is kept); a path that now points at an edited photo is a new row, and new work.
/// </summary>
/// <remarks>The JSON shape of a task of version 2 of the state file (images were URLs then), which reads as one.</remarks>
/// <param name="ModelImage">The model image's text.</param>
/// <param name="Upper">The upper garment, if any.</param>
/// <param name="Lower">The lower garment, if any.</param>
/// <param name="FullBody">The full-body garment, if any.</param>
/// <param name="InferenceMode">The mode.</param>
/// <param name="LocalImagesSha256">
/// For a row with local images, once they were read: the SHA-256 of their contents, column by column; <see langword="null"/>
/// for a row of URLs only, or when a file could not be read.
/// </param>
internal sealed record WrittenTask(
    string ModelImage,
    WrittenGarment? Upper,
    WrittenGarment? Lower,
    WrittenGarment? FullBody,
    InferenceMode InferenceMode,
    string? LocalImagesSha256 = null)
{
    /// <summary>Whether an image is a local file.</summary>
    [JsonIgnore]
    public bool HasLocalImages =>
        !ImageText.IsUrl(ModelImage) || new[] { Upper, Lower, FullBody }.Any(g => g is not null && !ImageText.IsUrl(g.Image));

    /// <summary>
    /// The task of a recorded row that is no longer in the manifest, so that its job can be waited for: URLs as they were,
    /// local paths as written (never read: the job exists, nothing is submitted again).
    /// </summary>
    public TryOnTask ToTask()
    {
        GarmentImage? Garment(WrittenGarment? garment) => garment is null ? null : new GarmentImage(ImageText.Recorded(garment.Image), garment.Kind);
        return new TryOnTask(ImageText.Recorded(ModelImage), Garment(Upper), Garment(Lower), Garment(FullBody), InferenceMode);
    }
}
