using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>The <c>data</c> object of a submit request.</summary>
public sealed record RawSubmitData([property: JsonPropertyName("task_list")] RawTaskInput[] TaskList);
