using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>One entry of a submit's <c>task_list</c>; only the fields the benchmark's task uses.</summary>
public sealed record RawTaskInput(
    [property: JsonPropertyName("model_image")] string ModelImage,
    [property: JsonPropertyName("upper_image")] RawGarment UpperImage,
    [property: JsonPropertyName("inferenceMode")] int InferenceMode);
