using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Manifest;

/// <summary>What the tool accepts for an image URL, an inference mode and a garment kind, in flags and manifests alike.</summary>
internal static class TaskOptions
{
    public static Uri ParseUrl(string text, string what) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new CliException($"{what} '{text}' is not an absolute http or https URL.");

    public static InferenceMode ParseMode(string? text, string what) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "fast" or "0" => InferenceMode.Fast,
        "quality" or "1" => InferenceMode.Quality,
        _ => throw new CliException($"{what} '{text}' is not a mode: use fast or quality."),
    };

    public static GarmentKind ParseKind(string? text, string what) => text?.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        null or "" or "flat_lay" or "flatlay" or "0" => GarmentKind.FlatLay,
        "worn_by_model" or "wornbymodel" or "worn" or "1" => GarmentKind.WornByModel,
        _ => throw new CliException($"{what} '{text}' is not a garment kind: use flat-lay or worn-by-model."),
    };
}
