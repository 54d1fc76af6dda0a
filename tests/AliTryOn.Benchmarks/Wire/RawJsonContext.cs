using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>Source-generated serializer of the raw call's and the Refit peer's DTOs; nulls are not written, as the SDK does.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RawSubmitRequest))]
[JsonSerializable(typeof(RawQueryRequest))]
[JsonSerializable(typeof(RawResponse))]
public sealed partial class RawJsonContext : JsonSerializerContext
{
}
