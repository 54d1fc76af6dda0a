namespace AliTryOn.Testing.Images;

/// <summary>What one generated result image shows.</summary>
/// <param name="ResultKey">The job id, for example <c>93be295cc7354d59bb6c3d12120f66c0</c>.</param>
/// <param name="TaskIndex">The 0-based position of the task in the job.</param>
/// <param name="ResultIndex">The 0-based index among the task's result images (the service returns 4 per task).</param>
/// <param name="ModelImage">The model photo URL the task was submitted with.</param>
/// <param name="Upper">The upper-garment URL, or <see langword="null"/>.</param>
/// <param name="Lower">The lower-garment URL, or <see langword="null"/>.</param>
/// <param name="FullBody">The full-body garment URL, or <see langword="null"/>.</param>
/// <param name="Quality"><see langword="true"/> for the quality inference mode, <see langword="false"/> for fast.</param>
internal sealed record ResultCard(
    string ResultKey,
    int TaskIndex,
    int ResultIndex,
    string ModelImage,
    string? Upper,
    string? Lower,
    string? FullBody,
    bool Quality);
