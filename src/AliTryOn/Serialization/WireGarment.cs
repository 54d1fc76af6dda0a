using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>A garment of a task: <c>{ "type": 0|1, "url": "…" }</c>.</summary>
internal sealed class WireGarment
{
    [JsonPropertyName("type")]
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? Type { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
