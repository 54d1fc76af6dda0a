using System.Text.Json.Serialization;
using AliTryOn.Serialization;

namespace AliTryOn;

/// <summary>How a garment is photographed. Sent to the service as the garment's <c>type</c>.</summary>
/// <remarks>In JSON, its name ("FlatLay"; read in any case, never as a number).</remarks>
[JsonConverter(typeof(TryOnEnumJsonConverter<GarmentKind>))]
public enum GarmentKind
{
    /// <summary>A flat-lay photo of the garment on its own (wire value <c>0</c>).</summary>
    FlatLay = 0,

    /// <summary>A photo of the garment worn by a model (wire value <c>1</c>).</summary>
    WornByModel = 1,
}
