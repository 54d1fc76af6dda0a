using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// The source-generated serializer for the wire format; the library never serializes by reflection.
/// Null members are not written, so one set of types serves requests and responses.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WireEnvelope))]
internal sealed partial class TryOnJsonContext : JsonSerializerContext
{
}
