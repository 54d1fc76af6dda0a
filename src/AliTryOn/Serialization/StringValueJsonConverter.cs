using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// Writes an extensible value (<see cref="TryOnTaskStatus"/>, <see cref="TryOnSeverity"/>) as its string, and reads it
/// back from one: the shape a web API's client expects, <c>"SUCCESS"</c> rather than an object.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public abstract class StringValueJsonConverter<T> : JsonConverter<T>
    where T : struct
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The token is not a string.</exception>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? Create(reader.GetString()!)
            : throw new JsonException($"A {typeof(T).Name} is a JSON string, such as {Example}; the value is a {reader.TokenType}.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(ValueOf(value));

    /// <summary>An example of the value, for messages.</summary>
    protected abstract string Example { get; }

    /// <summary>The value of a string.</summary>
    /// <param name="value">The string read.</param>
    protected abstract T Create(string value);

    /// <summary>The string of a value.</summary>
    /// <param name="value">The value to write.</param>
    protected abstract string ValueOf(T value);
}
