using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// The outer JSON object of every response, read leniently (requests are written from <see cref="WireRequest"/>).
/// </summary>
internal sealed class WireEnvelope
{
    [JsonPropertyName("code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Message { get; set; }

    [JsonPropertyName("requestId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; set; }

    [JsonPropertyName("severity")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Severity { get; set; }

    [JsonPropertyName("success")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Success { get; set; }

    [JsonPropertyName("data")]
    public WireJob? Data { get; set; }
}
