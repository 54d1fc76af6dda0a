namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>A garment photo.</summary>
/// <param name="Image">The photo, an absolute http(s) URL the service can download.</param>
/// <param name="Kind"><c>FlatLay</c> (the default: the garment alone) or <c>WornByModel</c>.</param>
public sealed record GarmentInput(string? Image, GarmentKind Kind = GarmentKind.FlatLay)
{
    internal GarmentImage ToGarment(string path) => new(ToUri(Image, $"{path}.image")!, Kind);

    /// <summary>
    /// Parses leniently (relative too), so that the SDK's own check reports a relative or non-http URL
    /// with its precise message. <see langword="null"/> stays <see langword="null"/> for the SDK to report.
    /// </summary>
    internal static Uri? ToUri(string? value, string path)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out var uri)
            ? uri
            : throw new TryOnInvalidTaskException($"{path} is not a URL.", path, "tasks");
    }
}
