using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>One entry of a response's <c>task_list</c>: echoed inputs (submit), status and result URLs (query).</summary>
public sealed record RawTaskResult(
    [property: JsonPropertyName("model_image")] string? ModelImage,
    [property: JsonPropertyName("upper_image")] RawGarment? UpperImage,
    [property: JsonPropertyName("lower_image")] RawGarment? LowerImage,
    [property: JsonPropertyName("full_image")] RawGarment? FullImage,
    [property: JsonPropertyName("inferenceMode")] int? InferenceMode,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("results")] string[]? Results);
