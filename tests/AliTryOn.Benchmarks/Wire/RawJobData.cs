using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>The <c>data</c> object of a response.</summary>
public sealed record RawJobData(
    [property: JsonPropertyName("result_key")] string? ResultKey,
    [property: JsonPropertyName("task_list")] RawTaskResult[]? TaskList);
