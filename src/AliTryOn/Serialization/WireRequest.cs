using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// The body of every request: <c>{"data":{…}}</c>. Written only, so its types need none of the lenient converters of
/// <see cref="WireEnvelope"/>, and the source generator writes them on its fast path (no metadata walk, no write stack).
/// </summary>
internal sealed class WireRequest
{
    [JsonPropertyName("data")]
    public WireRequestData? Data { get; set; }
}
