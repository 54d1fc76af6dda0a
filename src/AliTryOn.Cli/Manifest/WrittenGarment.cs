namespace AliTryOn.Cli.Manifest;

/// <summary>A garment of a <see cref="WrittenTask"/>: its image's text in the manifest and its kind.</summary>
internal sealed record WrittenGarment(string Image, GarmentKind Kind);
