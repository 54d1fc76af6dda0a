using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// One entry of a response's <c>task_list</c>: the echoed inputs plus status and results.
/// </summary>
internal sealed class WireTask
{
    [JsonPropertyName("model_image")]
    public string? ModelImage { get; set; }

    [JsonPropertyName("upper_image")]
    public WireGarment? UpperImage { get; set; }

    [JsonPropertyName("lower_image")]
    public WireGarment? LowerImage { get; set; }

    [JsonPropertyName("full_image")]
    public WireGarment? FullImage { get; set; }

    [JsonPropertyName(WireNames.InferenceMode)]
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? InferenceMode { get; set; }

    /// <summary>Read only: the client never sets it, so it is never written.</summary>
    [JsonPropertyName(WireNames.InferenceModeAlternate)]
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? InferenceModeAlternate { get; set; }

    [JsonPropertyName("status")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Status { get; set; }

    [JsonPropertyName("results")]
    public string?[]? Results { get; set; }
}
