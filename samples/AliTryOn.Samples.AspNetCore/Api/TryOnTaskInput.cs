namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>One try-on task: a photo of a person and at least one garment.</summary>
/// <param name="ModelImage">The photo of the person, an absolute http(s) URL the service can download.</param>
/// <param name="Upper">A top.</param>
/// <param name="Lower">A bottom.</param>
/// <param name="FullBody">A dress or one-piece outfit.</param>
/// <param name="InferenceMode"><c>Fast</c> (the default) or <c>Quality</c> (slower, keeps more garment detail).</param>
public sealed record TryOnTaskInput(
    string? ModelImage,
    GarmentInput? Upper = null,
    GarmentInput? Lower = null,
    GarmentInput? FullBody = null,
    InferenceMode InferenceMode = InferenceMode.Fast)
{
    internal TryOnTask ToTask(string path) => new(
        GarmentInput.ToUri(ModelImage, $"{path}.modelImage")!, // null: the SDK reports it as required
        Upper?.ToGarment($"{path}.upper"),
        Lower?.ToGarment($"{path}.lower"),
        FullBody?.ToGarment($"{path}.fullBody"),
        InferenceMode);
}
