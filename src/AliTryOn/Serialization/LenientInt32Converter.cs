using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// Reads an integer sent as a JSON number or as a numeric string (the document types <c>type</c> and
/// <c>inference_mode</c> as strings, its examples send numbers), in any form of a whole number a JSON writer prints
/// (<c>1</c>, <c>1.0</c>, <c>1e0</c>). Anything else reads as null. Writes a number.
/// </summary>
internal sealed class LenientInt32Converter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt32(out var number) ? number : reader.TryGetDecimal(out var other) ? Whole(other) : null;
            case JsonTokenType.String:
                var text = reader.GetString()?.Trim();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed
                    : decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var written) ? Whole(written)
                    : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static int? Whole(decimal number) =>
        number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue ? (int)number : null;

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
