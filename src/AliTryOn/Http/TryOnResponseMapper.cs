using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Errors;
using AliTryOn.Serialization;

namespace AliTryOn.Http;

/// <summary>
/// Turns every response into a <see cref="TryOnJob"/> or a typed <see cref="TryOnException"/>: HTTP status, body
/// (JSON or not, possibly empty) and the gateway's <c>X-Ca-*</c> headers all count; the body's code wins.
/// </summary>
internal static class TryOnResponseMapper
{
    public const string GatewayErrorCodeHeader = "X-Ca-Error-Code";
    public const string GatewayErrorMessageHeader = "X-Ca-Error-Message";
    public const string GatewayRequestIdHeader = "X-Ca-Request-Id";

    /// <summary>How much of a body an exception keeps.</summary>
    public const int RawBodyLimitBytes = 1024;

    public static async ValueTask<TryOnJob> ReadJobAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (response.Content is BufferedContent buffered)
        {
            // The resilience handler has read the body already.
            return Map(response, buffered.Span, timeProvider);
        }

        using var body = await BoundedContent.ReadAsync(response, BoundedContent.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        return Map(response, body.Span, timeProvider);
    }

    internal static TryOnJob Map(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider timeProvider)
    {
        var status = (int)response.StatusCode;
        var envelope = TryParse(body, out var parseError);
        if (envelope is not null && ResponseInspector.IsSuccess(status, envelope.Code, envelope.Success))
        {
            TryOnJob? job;
            try
            {
                job = ToJob(envelope);
            }
            catch (FormatException exception)
            {
                throw InvalidResponse(response, envelope, body, exception.Message, exception);
            }

            return job ?? throw InvalidResponse(response, envelope, body, "it has no data.result_key", null);
        }

        if (status is >= 200 and <= 299 && envelope is null)
        {
            throw InvalidResponse(response, null, body, body.IsEmpty ? "its body is empty" : "its body is not the JSON the service sends", parseError);
        }

        var details = CreateDetails(response, envelope, body);
        var kind = TryOnErrorClassifier.Classify(status, envelope?.Code, details.GatewayErrorMessage);
        throw TryOnExceptionFactory.Create(kind, details, TryOnResiliencePipeline.RetryAfterOf(response, timeProvider), response.Headers.Location);
    }

    private static WireEnvelope? TryParse(ReadOnlySpan<byte> body, out JsonException? error)
    {
        error = null;
        var trimmed = TrimStart(body);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(trimmed, TryOnJsonContext.Default.WireEnvelope);
        }
        catch (JsonException exception)
        {
            error = exception;
            return null;
        }
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> body)
    {
        var start = 0;
        // Skip whitespace and a UTF-8 byte-order mark.
        while (start < body.Length && (body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
        {
            start++;
        }

        return body.Slice(start);
    }

    private static TryOnJob? ToJob(WireEnvelope envelope)
    {
        var data = envelope.Data;
        if (data is null || string.IsNullOrWhiteSpace(data.ResultKey))
        {
            return null;
        }

        var wireTasks = data.TaskList ?? [];
        var tasks = new TryOnTaskResult[wireTasks.Length];
        for (var i = 0; i < wireTasks.Length; i++)
        {
            tasks[i] = ToTaskResult(i, wireTasks[i]);
        }

        return new TryOnJob(data.ResultKey!, tasks, envelope.RequestId, envelope.Severity);
    }

    private static TryOnTaskResult ToTaskResult(int index, WireTask? task)
    {
        var mode = task?.InferenceMode ?? task?.InferenceModeAlternate;
        return new TryOnTaskResult(
            index,
            new TryOnTaskStatus(task?.Status ?? string.Empty),
            ToResultUrls(task?.Results),
            mode is { } value ? (InferenceMode)value : null);
    }

    /// <summary>The non-blank result URLs, in order, in an array of exactly their number.</summary>
    private static IReadOnlyList<Uri> ToResultUrls(string?[]? results)
    {
        var count = 0;
        foreach (var result in results ?? [])
        {
            count += string.IsNullOrWhiteSpace(result) ? 0 : 1;
        }

        if (count == 0)
        {
            return [];
        }

        var urls = new Uri[count];
        var next = 0;
        foreach (var result in results!)
        {
            if (!string.IsNullOrWhiteSpace(result))
            {
                urls[next++] = ParseResultUrl(result!);
            }
        }

        return urls;
    }

    private static Uri ParseResultUrl(string url) =>
        // The document's example shows URLs with a leading space; anything Uri accepts is kept, absolute or not.
        Uri.TryCreate(url.Trim(), UriKind.RelativeOrAbsolute, out var uri)
            ? uri
            : throw new FormatException("a result URL is not a valid URI");

    private static TryOnErrorDetails CreateDetails(HttpResponseMessage response, WireEnvelope? envelope, ReadOnlySpan<byte> body) => new()
    {
        Status = (int)response.StatusCode,
        ErrorCode = envelope is null || TryOnErrorClassifier.IsSuccessCode(envelope.Code) ? null : envelope.Code!.Trim(),
        ErrorMessage = envelope?.Message,
        RequestId = envelope?.RequestId ?? Header(response, GatewayRequestIdHeader),
        GatewayErrorCode = Header(response, GatewayErrorCodeHeader),
        GatewayErrorMessage = MaskNonce(Header(response, GatewayErrorMessageHeader)),
        RawBody = Excerpt(body),
    };

    /// <summary>
    /// The gateway's <c>Invalid Signature</c> answer quotes its string to sign, the request's nonce included. The
    /// string is kept (it is how a signing mismatch is diagnosed); the nonce is masked, as nonces are never shown.
    /// </summary>
    internal static string? MaskNonce(string? message)
    {
        const string Label = "x-ca-nonce:";
        var start = message?.IndexOf(Label, StringComparison.OrdinalIgnoreCase) ?? -1;
        if (start < 0)
        {
            return message;
        }

        start += Label.Length;
        var end = start;
        while (end < message!.Length && message[end] is not ('#' or '\n' or '`' or ',' or ' '))
        {
            end++;
        }

        return message.Substring(0, start) + "***" + MaskNonce(message.Substring(end));
    }

    private static TryOnInvalidResponseException InvalidResponse(HttpResponseMessage response, WireEnvelope? envelope, ReadOnlySpan<byte> body, string reason, Exception? inner)
    {
        var details = CreateDetails(response, envelope, body);
        var resultKey = ResponseInspector.ReadResultKey(body);
        var named = resultKey is null ? string.Empty : $" It names the job '{resultKey}'.";
        return new TryOnInvalidResponseException(
            TryOnExceptionFactory.FormatMessage($"The service's response could not be read: {reason}.{named}", details),
            details,
            inner)
        {
            ResultKey = resultKey,
        };
    }

    internal static string? Header(HttpResponseMessage response, string name)
    {
        if (response.Headers.TryGetValues(name, out var values))
        {
            var value = values.FirstOrDefault();
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        return null;
    }

    /// <summary>The first <see cref="RawBodyLimitBytes"/> bytes as text, cut on a character boundary.</summary>
    internal static string? Excerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        if (body.Length <= RawBodyLimitBytes)
        {
            return Decode(body);
        }

        var cut = RawBodyLimitBytes;
        while (cut > 0 && (body[cut] & 0xC0) == 0x80)
        {
            cut--; // do not split a UTF-8 sequence
        }

        return Decode(body.Slice(0, cut)) + "…";
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
#if NETCOREAPP2_1_OR_GREATER
        return Encoding.UTF8.GetString(bytes);
#else
        return Encoding.UTF8.GetString(bytes.ToArray());
#endif
    }
}
