namespace AliTryOn.Cli.Manifest;

/// <summary>One row of a manifest as written, a CSV line's or a JSON object's: each column's text, <see langword="null"/> where empty or absent.</summary>
internal sealed record ManifestRow
{
    public string? Id { get; init; }

    public string? Model { get; init; }

    public string? Upper { get; init; }

    public string? Lower { get; init; }

    public string? FullBody { get; init; }

    public string? Mode { get; init; }

    public string? Kind { get; init; }
}
