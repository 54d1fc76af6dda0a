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

    /// <summary>The row whose columns (<see cref="ManifestReader.Columns"/>, by name) have the values <paramref name="value"/> gives.</summary>
    public static ManifestRow From(Func<string, string?> value) => new()
    {
        Id = value("id"),
        Model = value("model"),
        Upper = value("upper"),
        Lower = value("lower"),
        FullBody = value("full_body"),
        Mode = value("mode"),
        Kind = value("kind"),
    };
}
