using System;
using System.Text;
using System.Text.Json;
using AliTryOn.Errors;

namespace AliTryOn.Http;

/// <summary>
/// Reads what a response body says of itself leniently, field by field, so that a body whose <c>data</c> does not have
/// the expected shape (or is cut off) still yields its <c>code</c>, <c>success</c>, <c>message</c> and request id,
/// and an unreadable success still yields the result key it names.
/// </summary>
internal static class ResponseInspector
{
    /// <summary>
    /// Whether a response is a success: a 2xx status, a body that does not say <c>success: false</c>, and a success
    /// code (or none). The one rule for the retry policy and the mapper alike.
    /// </summary>
    internal static bool IsSuccess(int status, string? code, bool? success) =>
        status is >= 200 and <= 299 && success != false && TryOnErrorClassifier.IsSuccessCode(code);

    /// <summary>
    /// The top-level <c>code</c>, <c>success</c>, <c>message</c> and <c>requestId</c> of a JSON body, skipping the rest;
    /// what could be read before a body breaks off; nothing for other bodies. Never throws.
    /// </summary>
    internal static ResponseFields ReadFields(ReadOnlySpan<byte> body)
    {
        var fields = default(ResponseFields);
        try
        {
            // Past the first token: only an object's has a property name next.
            var reader = new Utf8JsonReader(body);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("code"u8) ? 1
                    : reader.ValueTextEquals("success"u8) ? 2
                    : reader.ValueTextEquals("message"u8) ? 3
                    : reader.ValueTextEquals("requestId"u8) ? 4
                    : 0;
                reader.Read(); // a body cut off here throws: the reader is given the whole body
                switch (name)
                {
                    case 1:
                        fields.Code = Text(ref reader);
                        break;
                    case 2:
                        fields.Success = reader.TokenType switch
                        {
                            JsonTokenType.True => true,
                            JsonTokenType.False => false,
                            JsonTokenType.String => bool.TryParse(reader.GetString(), out var parsed) ? parsed : null,
                            _ => null,
                        };
                        break;
                    case 3:
                        fields.Message = Text(ref reader);
                        break;
                    case 4:
                        fields.RequestId = Text(ref reader);
                        break;
                }

                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // A broken body (bad JSON, invalid UTF-8, a lone surrogate) yields what was read before the break; the
            // rest is judged by its status and headers alone.
        }

        return fields;
    }

    /// <summary>A string as it is, a number as its text, anything else nothing: as the service types these fields loosely.</summary>
    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var number)
            ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Encoding.UTF8.GetString(reader.ValueSpan.ToArray()),
        _ => null,
    };

    /// <summary>
    /// The <c>data.result_key</c> of a body the mapper could not read in full, if it names one: a submit's billed job
    /// can then still be found. Reads nothing else and never throws.
    /// </summary>
    internal static string? ReadResultKey(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isData = reader.ValueTextEquals("data"u8);
                reader.Read();

                if (isData && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isKey = reader.ValueTextEquals("result_key"u8);
                        reader.Read();

                        if (isKey)
                        {
                            return reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } key && !string.IsNullOrWhiteSpace(key) ? key : null;
                        }

                        reader.Skip();
                    }

                    return null;
                }

                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Only what can be read is reported.
        }

        return null;
    }
}
