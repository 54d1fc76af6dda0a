using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>A garment as the raw call and the Refit peer send it: <c>{"type":0,"url":"…"}</c>.</summary>
public sealed record RawGarment(
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("url")] string Url);
