using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>A garment of a submitted task: <c>{ "type": 0|1, "url": "…" }</c>.</summary>
internal sealed class WireGarmentInput
{
    [JsonPropertyName("type")]
    public int Type { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
