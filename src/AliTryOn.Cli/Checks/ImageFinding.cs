using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Checks;

/// <summary>
/// Why an image of a manifest row would be refused: the row, the image (its column and its text), the core's
/// <see cref="Problem"/>, and <see cref="Detail"/>, its sentence naming the image and what was measured
/// (<c>shirt.png is 380 × 512 px; each side must be 400 to 4096 px</c>).
/// </summary>
internal sealed record ImageFinding(ManifestEntry Entry, ManifestImage Image, TryOnImageProblem Problem, string Detail)
{
    /// <summary>The finding as a report's error: <c>upper: shirt.png is 380 × 512 px; …</c>.</summary>
    public override string ToString() => $"{Image.Column}: {Detail}";
}
