namespace AliTryOn.Cli.Manifest;

/// <summary>
/// A manifest row read and checked: its 1-based <see cref="Row"/>, its <see cref="Id"/> (safe as a file name), its task
/// (local paths resolved against the manifest's folder) and the same task as the manifest wrote it, which identifies the
/// row in the state file.
/// </summary>
internal sealed record ManifestEntry(int Row, string Id, TryOnTask Task, WrittenTask Written)
{
    /// <summary>
    /// The id the state file records this row's job under, when it is not <see cref="Id"/>: a row named by position
    /// that moved since (<see cref="PositionalId"/>); <see langword="null"/> otherwise.
    /// </summary>
    public string? RecordedId { get; init; }

    /// <summary>The id of a row that has none of its own: <c>row{N}</c>, its 1-based row number.</summary>
    public static string PositionalId(int row) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"row{row}");

    /// <summary>Whether <paramref name="id"/> has the form of <see cref="PositionalId"/>.</summary>
    public static bool IsPositionalId(string id) =>
        id.Length > 3 && id.StartsWith("row", StringComparison.Ordinal) && id.AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Each image of the task with its column and its text in the manifest: the model first, then the garments given.</summary>
    public IEnumerable<ManifestImage> Images()
    {
        yield return new ManifestImage(ManifestImage.Model, Task.ModelImage, Written.ModelImage);
        if (Task.Upper is { } upper)
        {
            yield return new ManifestImage(ManifestImage.Upper, upper.Image, Written.Upper!.Image);
        }

        if (Task.Lower is { } lower)
        {
            yield return new ManifestImage(ManifestImage.Lower, lower.Image, Written.Lower!.Image);
        }

        if (Task.FullBody is { } fullBody)
        {
            yield return new ManifestImage(ManifestImage.FullBody, fullBody.Image, Written.FullBody!.Image);
        }
    }
}
