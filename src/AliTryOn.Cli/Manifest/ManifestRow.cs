using System.Text.Json.Serialization;

namespace AliTryOn.Cli.Manifest;

/// <summary>One row of a JSON manifest; the same names as the CSV header.</summary>
internal sealed record ManifestRow
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("upper")]
    public string? Upper { get; init; }

    [JsonPropertyName("lower")]
    public string? Lower { get; init; }

    [JsonPropertyName("full_body")]
    public string? FullBody { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }
}
