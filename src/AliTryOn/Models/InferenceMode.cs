using System.Text.Json.Serialization;
using AliTryOn.Serialization;

namespace AliTryOn;

/// <summary>Trade-off between speed and garment detail for one try-on task.</summary>
/// <remarks>In JSON, its name ("Quality"; read in any case, never as a number).</remarks>
[JsonConverter(typeof(TryOnEnumJsonConverter<InferenceMode>))]
public enum InferenceMode
{
    /// <summary>
    /// Fast inference (wire value <c>0</c>, the service's default): quicker, with less garment detail.
    /// Suited to interactive try-on experiences.
    /// </summary>
    Fast = 0,

    /// <summary>
    /// Full-quality inference (wire value <c>1</c>): slower, keeps garment detail best.
    /// Suited to e-commerce detail images.
    /// </summary>
    Quality = 1,
}
