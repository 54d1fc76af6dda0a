using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>A query request body: <c>{"data":{"result_key":"…"}}</c>.</summary>
public sealed record RawQueryRequest([property: JsonPropertyName("data")] RawQueryData Data);
