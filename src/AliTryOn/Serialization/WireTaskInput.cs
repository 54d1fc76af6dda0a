using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>One entry of a submit's <c>task_list</c>; absent garments are not written.</summary>
internal sealed class WireTaskInput
{
    [JsonPropertyName("model_image")]
    public string? ModelImage { get; set; }

    [JsonPropertyName("upper_image")]
    public WireGarmentInput? UpperImage { get; set; }

    [JsonPropertyName("lower_image")]
    public WireGarmentInput? LowerImage { get; set; }

    [JsonPropertyName("full_image")]
    public WireGarmentInput? FullImage { get; set; }

    /// <summary>Always written, Fast (0) included: the document's examples send it.</summary>
    [JsonPropertyName(WireNames.InferenceMode)]
    public int InferenceMode { get; set; }
}
