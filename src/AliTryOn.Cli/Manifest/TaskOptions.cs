using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Manifest;

/// <summary>The words the tool accepts for an inference mode and a garment kind, in flags and manifests alike.</summary>
internal static class TaskOptions
{
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
