using System;
using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// Writes the SDK's enums (<see cref="GarmentKind"/>, <see cref="InferenceMode"/>, <see cref="TryOnBulkStatus"/>) as
/// their names and reads names in any case; numbers are refused, so a value the enum does not define never gets in.
/// Applied to the types themselves.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class TryOnEnumJsonConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>Creates the converter: names as declared, no numbers.</summary>
    public TryOnEnumJsonConverter()
        : base(namingPolicy: null, allowIntegerValues: false)
    {
    }
}
