using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>A submit request body: <c>{"data":{"task_list":[…]}}</c>, byte for byte what the SDK sends for the same task.</summary>
public sealed record RawSubmitRequest([property: JsonPropertyName("data")] RawSubmitData Data);
