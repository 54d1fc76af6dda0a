using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>The <c>data</c> object of a query request.</summary>
public sealed record RawQueryData([property: JsonPropertyName("result_key")] string ResultKey);
