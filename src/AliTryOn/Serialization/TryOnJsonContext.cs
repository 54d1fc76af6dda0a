using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// The source-generated serializer for the wire format; the library never serializes by reflection. Requests are
/// written from <see cref="WireRequest"/>, responses read into <see cref="WireEnvelope"/>; null members are not written.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WireEnvelope))]
[JsonSerializable(typeof(WireRequest))]
internal sealed partial class TryOnJsonContext : JsonSerializerContext
{
}
