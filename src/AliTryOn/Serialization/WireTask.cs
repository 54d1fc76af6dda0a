using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// One entry of a response's <c>task_list</c>: what the client reads of it. The echoed input images are left out, so
/// the reader skips them instead of allocating strings nobody reads (requests are written with <see cref="WireTaskInput"/>).
/// </summary>
internal sealed class WireTask
{
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
