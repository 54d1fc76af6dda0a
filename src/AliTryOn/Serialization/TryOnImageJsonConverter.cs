using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// Reads and writes a <see cref="TryOnImage"/> as its URL, a JSON string. Only URL images have a JSON form: a file path
/// read from JSON would let whoever writes the JSON name a file on the machine that submits it. Public so that
/// source-generated contexts of your own can use it; <see cref="TryOnImage"/> names it, so you never need to.
/// </summary>
public sealed class TryOnImageJsonConverter : JsonConverter<TryOnImage>
{
    /// <summary>Reads a URL string as a <see cref="UrlImage"/>.</summary>
    /// <exception cref="JsonException">The value is not a string, or not a URL.</exception>
    public override TryOnImage? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An image must be a URL, a JSON string.");
        }

        var text = reader.GetString();
        if (!Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out var url))
        {
            throw new JsonException("An image must be a URL.");
        }

        return new UrlImage(url);
    }

    /// <summary>Writes a <see cref="UrlImage"/>'s URL as given.</summary>
    /// <exception cref="NotSupportedException">The image is a file, a stream or bytes.</exception>
    public override void Write(Utf8JsonWriter writer, TryOnImage value, JsonSerializerOptions options)
    {
        if (value is not UrlImage image)
        {
            throw new NotSupportedException($"Only URL images have a JSON form; {value.DisplayName} is a {value.GetType().Name}.");
        }

        writer.WriteStringValue(image.Url.OriginalString);
    }
}
