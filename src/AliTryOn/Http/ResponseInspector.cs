using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Errors;

namespace AliTryOn.Http;

/// <summary>
/// Decides, for the retry policy, what a response is: a success or a family of error. Reads the body into memory
/// (within the size cap) so it can be read again by the response mapper.
/// </summary>
internal static class ResponseInspector
{
    /// <summary>The error family of the response, or <see langword="null"/> for a success.</summary>
    /// <remarks>Leaves the body in a <see cref="BufferedContent"/>, which the mapper reads without copying.</remarks>
    public static async Task<TryOnErrorKind?> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await BoundedContent.ReadAsync(response, BoundedContent.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        var buffered = new BufferedContent(body);
        if (response.Content is { } original)
        {
            // Keep the body readable for the mapper; the content headers go with it.
            CopyHeaders(original, buffered);
            original.Dispose();
        }

        response.Content = buffered;
        var (code, success) = ReadStatus(buffered.Span);
        var status = (int)response.StatusCode;
        return IsSuccess(status, code, success)
            ? null
            : TryOnErrorClassifier.Classify(status, code, TryOnResponseMapper.Header(response, TryOnResponseMapper.GatewayErrorMessageHeader));
    }

    /// <summary>
    /// Whether a response is a success: a 2xx status, a body that does not say <c>success: false</c>, and a success
    /// code (or none). The one rule for the retry policy and the mapper alike.
    /// </summary>
    internal static bool IsSuccess(int status, string? code, bool? success) =>
        status is >= 200 and <= 299 && success != false && TryOnErrorClassifier.IsSuccessCode(code);

    private static void CopyHeaders(HttpContent from, HttpContent to)
    {
#if NET6_0_OR_GREATER
        // As received: the validating enumerator would parse every value only for it to be written back as text.
        foreach (var header in from.Headers.NonValidated)
        {
            if (header.Value.Count == 1)
            {
                to.Headers.TryAddWithoutValidation(header.Key, header.Value.ToString());
            }
            else
            {
                to.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
#else
        foreach (var header in from.Headers)
        {
            to.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
#endif
    }

    /// <summary>The top-level <c>code</c> and <c>success</c> of a JSON body, skipping the rest; nothing for other bodies.</summary>
    internal static (string? Code, bool? Success) ReadStatus(ReadOnlySpan<byte> body)
    {
        string? code = null;
        bool? success = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueTextEquals("code"u8);
                var isSuccess = !isCode && reader.ValueTextEquals("success"u8);
                if (!reader.Read())
                {
                    break;
                }

                if (isCode)
                {
                    code = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => reader.TryGetInt64(out var number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                        _ => null,
                    };
                }
                else if (isSuccess)
                {
                    success = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        JsonTokenType.String => bool.TryParse(reader.GetString(), out var parsed) ? parsed : null,
                        _ => null,
                    };
                }

                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // A broken body (bad JSON, invalid UTF-8, a lone surrogate) is judged by its status and headers alone,
            // as the mapper does.
        }

        return (code, success);
    }

    /// <summary>
    /// The <c>data.result_key</c> of a body the mapper could not read in full, if it names one: a submit's billed job
    /// can then still be found. Reads nothing else and never throws.
    /// </summary>
    internal static string? ReadResultKey(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isData = reader.ValueTextEquals("data"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isData && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isKey = reader.ValueTextEquals("result_key"u8);
                        if (!reader.Read())
                        {
                            return null;
                        }

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
