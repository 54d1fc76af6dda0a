using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
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

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>How much of a body an exception keeps.</summary>
    public const int RawBodyLimitBytes = 1024;

    /// <summary>
    /// Reads the response once: its body (within the cap) into a <see cref="BufferedContent"/> that then stands in for
    /// the content, carrying the answer, so whoever asks again (the retry policy, then the client) gets the same one.
    /// </summary>
    /// <exception cref="TryOnInvalidResponseException">The body is larger than the client reads.</exception>
    /// <exception cref="System.IO.IOException">The connection broke while the body was read.</exception>
    /// <exception cref="HttpRequestException">The connection broke while the body was read.</exception>
    public static async ValueTask<TryOnAnswer> AnswerAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (response.Content is BufferedContent { Answer: { } known })
        {
            return known;
        }

        var body = await BoundedContent.ReadAsync(response, BoundedContent.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        TryOnAnswer answer;
        try
        {
            answer = Map(response, body.Span, timeProvider);
        }
        catch
        {
            body.Dispose();
            throw;
        }

        var buffered = new BufferedContent(body, answer);
        if (response.Content is { } original)
        {
            // The body stays readable as the original's; the content headers go with it.
            CopyHeaders(original, buffered);
            original.Dispose();
        }

        response.Content = buffered;
        return answer;
    }

    /// <summary>The job the response carries, or the exception it stands for thrown.</summary>
    public static async ValueTask<TryOnJob> ReadJobAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        (await AnswerAsync(response, timeProvider, cancellationToken).ConfigureAwait(false)).JobOrThrow();

    /// <summary>
    /// What a response says, from one reading of its body: the whole envelope when it parses (the common case), else its
    /// top-level fields read leniently, so a body whose <c>data</c> is malformed or cut off still yields its code.
    /// Whether it is a success, and the error family and fields of a failure, come from those fields; a success whose
    /// envelope cannot be read is a <see cref="TryOnInvalidResponseException"/>.
    /// </summary>
    internal static TryOnAnswer Map(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider timeProvider)
    {
        var status = (int)response.StatusCode;
        body = WithoutByteOrderMark(body);
        var envelope = TryParse(body, out var parseError);
        var fields = envelope is null
            ? ResponseInspector.ReadFields(body)
            : new ResponseFields { Code = envelope.Code, Success = envelope.Success, Message = envelope.Message, RequestId = envelope.RequestId };
        if (ResponseInspector.IsSuccess(status, fields.Code, fields.Success))
        {
            if (envelope is null)
            {
                return Invalid(response, fields, body, body.IsEmpty ? "its body is empty" : BoundedContent.UndecodedCoding(response) is { } coding ? $"its body is {coding}-encoded, which the client does not decode (it asks for none: Accept-Encoding: identity, and decodes gzip alone)" : "its body is not the JSON the service sends", parseError);
            }

            var problems = new LinkProblems();
            var job = ToJob(envelope, problems);
            if (job is null)
            {
                return Invalid(response, fields, body, "it has no data.result_key", null);
            }

            if (problems.TaskIndices is { } unusable)
            {
                // The job is readable, but some tasks' links cannot be downloaded: the answer is the service's error,
                // carrying the job as read (the usable links only) so the other tasks' images are not lost. The raw
                // body is left out: it holds every signed link, and perhaps a password.
                var withoutBody = CreateDetails(response, fields, body) with { RawBody = null };
                return TryOnAnswer.Failure(
                    new TryOnInvalidResponseException(
                        TryOnExceptionFactory.FormatMessage($"The service's response could not be used in full: {problems.Describe()}.", withoutBody),
                        withoutBody)
                    {
                        ResultKey = job.ResultKey,
                        Job = job,
                        TaskIndices = unusable,
                    },
                    TryOnErrorKind.InvalidResponse);
            }

            return TryOnAnswer.Success(job);
        }

        var details = CreateDetails(response, fields, body);
        var kind = TryOnErrorClassifier.Classify(status, fields.Code, details.GatewayErrorMessage);
        var error = TryOnExceptionFactory.Create(kind, details, TryOnResiliencePipeline.RetryAfterOf(response, timeProvider), UrlDisplay.Safe(response.Headers.Location));

        // The job an error answer names, if any: a submit's answer that leaves a job possible gives it to the caller.
        error.AnswerResultKey = ResponseInspector.ReadResultKey(body);
        return TryOnAnswer.Failure(error, kind);
    }

    private static TryOnAnswer Invalid(HttpResponseMessage response, ResponseFields fields, ReadOnlySpan<byte> body, string reason, Exception? inner) =>
        TryOnAnswer.Failure(InvalidResponse(response, fields, body, reason, inner), TryOnErrorKind.InvalidResponse);

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

    private static WireEnvelope? TryParse(ReadOnlySpan<byte> body, out JsonException? error)
    {
        error = null;
        try
        {
            return JsonSerializer.Deserialize(body, TryOnJsonContext.Default.WireEnvelope);
        }
        catch (JsonException exception)
        {
            error = exception;
            return null;
        }
    }

    /// <summary>The body without a UTF-8 byte-order mark, which some servers put first and the JSON reader refuses.</summary>
    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> body) =>
        body.StartsWith(Utf8ByteOrderMark) ? body.Slice(Utf8ByteOrderMark.Length) : body;

    private static TryOnJob? ToJob(WireEnvelope envelope, LinkProblems problems)
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
            tasks[i] = ToTaskResult(i, wireTasks[i], problems);
        }

        return new TryOnJob(data.ResultKey!, tasks, envelope.RequestId, envelope.Severity is { } severity ? new TryOnSeverity(severity) : null);
    }

    private static TryOnTaskResult ToTaskResult(int index, WireTask? task, LinkProblems problems)
    {
        var mode = task?.InferenceMode ?? task?.InferenceModeAlternate;
        return new TryOnTaskResult(
            index,
            new TryOnTaskStatus(task?.Status ?? string.Empty),
            ToResultUrls(index, task?.Results, problems),
            mode is { } value ? (InferenceMode)value : null);
    }

    /// <summary>
    /// The non-blank result URLs that can be downloaded, in order; any other link is left out and recorded in
    /// <paramref name="problems"/> by its position among the non-blank ones. A link <see cref="PlainHttpUrl"/> vouches
    /// for becomes a <see cref="Uri"/> when first read (<see cref="ResultLinks"/>); any other is parsed here.
    /// </summary>
    private static IReadOnlyList<Uri> ToResultUrls(int taskIndex, string?[]? results, LinkProblems problems)
    {
        if (results is null || results.Length == 0)
        {
            return [];
        }

        var texts = new string[results.Length];
        var uris = new Uri?[results.Length];
        var count = 0;
        var position = 0;
        foreach (var result in results)
        {
            if (string.IsNullOrWhiteSpace(result))
            {
                continue;
            }

            // The document's example shows URLs with a leading space.
            var text = result!.Trim();
            if (PlainHttpUrl.IsPlain(text))
            {
                texts[count++] = text;
            }
            else if (ParseResultUrl(text) is { } url)
            {
                uris[count++] = url;
            }
            else
            {
                problems.Add(taskIndex, position, result!);
            }

            position++;
        }

        return new ResultLinks(texts, uris, count);
    }

    /// <summary>
    /// A result link as the client can download it: an absolute http(s) URL without user information; <see langword="null"/>
    /// for anything else, which is the service's error, reported when the response is read rather than when a
    /// download is tried.
    /// </summary>
    private static Uri? ParseResultUrl(string text) =>
        UrlDisplay.TryParseAbsolute(text, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !UrlDisplay.HasUserInfo(text, uri)
            ? uri
            : null;

    /// <summary>The result links of an answer that cannot be downloaded, gathered as the answer is read.</summary>
    private sealed class LinkProblems
    {
        private List<int>? _taskIndices;
        private string? _first;
        private int _count;

        /// <summary>The tasks with such a link, in order; <see langword="null"/> when there is none.</summary>
        public IReadOnlyList<int>? TaskIndices => _taskIndices;

        public void Add(int taskIndex, int resultIndex, string link)
        {
            _taskIndices ??= [];
            if (_taskIndices.Count == 0 || _taskIndices[_taskIndices.Count - 1] != taskIndex)
            {
                _taskIndices.Add(taskIndex);
            }

            _count++;
            _first ??= $"result {resultIndex} of task {taskIndex} {Why(link.Trim())} ('{UrlDisplay.Show(link.Trim())}'), so it cannot be downloaded";
        }

        /// <summary>The first problem, and how many more.</summary>
        public string Describe() => _count == 1
            ? _first!
            : $"{_first} (and {_count - 1} more unusable result link{(_count == 2 ? string.Empty : "s")}, of task{(_taskIndices!.Count == 1 ? string.Empty : "s")} {string.Join(", ", _taskIndices!)})";

        private static string Why(string text) =>
            !UrlDisplay.TryParseAbsolute(text, out var uri) ? "is not an absolute http or https URL"
            : uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp ? $"uses the scheme '{uri.Scheme}', not http or https"
            : "carries user information";
    }

    private static TryOnErrorDetails CreateDetails(HttpResponseMessage response, ResponseFields fields, ReadOnlySpan<byte> body)
    {
        var appCode = AppCodeOf(response.RequestMessage);
        return new()
        {
            Status = (int)response.StatusCode,
            ErrorCode = TryOnErrorClassifier.IsSuccessCode(fields.Code) ? null : fields.Code!.Trim(),
            ErrorMessage = Mask(fields.Message, appCode),
            RequestId = fields.RequestId ?? Header(response, GatewayRequestIdHeader),
            GatewayErrorCode = Header(response, GatewayErrorCodeHeader),
            GatewayErrorMessage = Mask(MaskNonce(TextHeader(response, GatewayErrorMessageHeader)), appCode),
            RawBody = Excerpt(MaskBytes(body, appCode)),
        };
    }

    /// <summary>The AppCode a request carried (<c>Authorization: APPCODE …</c>), if it carried one.</summary>
    private static string? AppCodeOf(HttpRequestMessage? request)
    {
        const string Scheme = "APPCODE ";
        if (request is not null && request.Headers.TryGetValues("Authorization", out var values))
        {
            foreach (var value in values)
            {
                if (value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && value.Substring(Scheme.Length).Trim() is { Length: > 0 } code)
                {
                    return code;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="body"/> without <paramref name="secret"/>, before it is cut to an excerpt (a secret across the cut
    /// would leave its start); the body itself when it holds none.
    /// </summary>
    private static ReadOnlySpan<byte> MaskBytes(ReadOnlySpan<byte> body, string? secret)
    {
        if (secret is null)
        {
            return body;
        }

        var needle = Encoding.UTF8.GetBytes(secret);
        if (body.IndexOf(needle) < 0)
        {
            return body;
        }

        var masked = new List<byte>(body.Length);
        while (body.IndexOf(needle) is var at && at >= 0)
        {
            masked.AddRange(body.Slice(0, at).ToArray());
            masked.AddRange("***"u8.ToArray());
            body = body.Slice(at + needle.Length);
        }

        masked.AddRange(body.ToArray());
        return masked.ToArray();
    }

    /// <summary>
    /// <paramref name="text"/> without <paramref name="secret"/>: a service or gateway that echoes the AppCode it was
    /// sent (in a message such as <c>Invalid AppCode `…`</c>) must not put it into an exception or a log.
    /// </summary>
    private static string? Mask(string? text, string? secret) =>
        text is null || secret is null ? text : text.Replace(secret, "***");

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

        // Past any spaces after the label, so that a nonce written "x-ca-nonce: value" is masked too.
        while (start < message!.Length && message[start] == ' ')
        {
            start++;
        }

        var end = start;
        while (end < message!.Length && message[end] is not ('#' or '\n' or '`' or ',' or ' '))
        {
            end++;
        }

        return message.Substring(0, start) + "***" + MaskNonce(message.Substring(end));
    }

    private static TryOnInvalidResponseException InvalidResponse(HttpResponseMessage response, ResponseFields fields, ReadOnlySpan<byte> body, string reason, Exception? inner)
    {
        var details = CreateDetails(response, fields, body);
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

    /// <summary>
    /// A header of text as its sender wrote it. The transport reads a header's bytes as Latin-1, so a message written
    /// in UTF-8 (one in Chinese, say) would arrive garbled: when every character is one byte and the bytes are UTF-8,
    /// they are read as UTF-8; anything else stays as it came.
    /// </summary>
    internal static string? TextHeader(HttpResponseMessage response, string name)
    {
        var value = Header(response, name);
        if (value is null)
        {
            return null;
        }

        var bytes = new byte[value.Length];
        var ascii = true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c > 0xFF)
            {
                return value;
            }

            ascii &= c < 0x80;
            bytes[i] = (byte)c;
        }

        if (ascii)
        {
            return value;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return value;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The error for a query answered with another job than the one asked for (a cache or proxy that mixed answers up):
    /// taken as it is, it would hand one caller another's results. <see langword="null"/> when the keys agree.
    /// </summary>
    internal static TryOnInvalidResponseException? ForAnotherJob(HttpResponseMessage response, TryOnJob job, string queriedKey)
    {
        // Keys are compared as a person would read them (hex keys in either case, spaces around them), so that only
        // a different job is refused.
        if (string.Equals(job.ResultKey.Trim(), queriedKey.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Neither the job nor the body goes with the error: they are someone else's.
        var details = new TryOnErrorDetails
        {
            Status = (int)response.StatusCode,
            RequestId = job.RequestId ?? Header(response, GatewayRequestIdHeader),
        };
        return new TryOnInvalidResponseException(
            TryOnExceptionFactory.FormatMessage($"The service's response could not be used: it answers for the job '{job.ResultKey}', not for the job '{queriedKey}' that was queried (a cache or proxy between the client and the service may have mixed answers up; asking again may give the right one).", details),
            details)
        {
            ResultKey = queriedKey,
            MayPass = true,
        };
    }

    /// <summary>The first <see cref="RawBodyLimitBytes"/> bytes as text, cut on a character boundary.</summary>
    internal static string? Excerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        // The links in it lose their queries (a signed link's signature) and user information, as everywhere they are shown.
        if (body.Length <= RawBodyLimitBytes)
        {
            return UrlDisplay.MaskUrls(Decode(body));
        }

        // Do not split a UTF-8 sequence: back off over its continuation bytes, at most the three a sequence has (bytes
        // that are not UTF-8 at all are cut where they fall).
        var cut = RawBodyLimitBytes;
        while (cut > RawBodyLimitBytes - 3 && (body[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return UrlDisplay.MaskUrls(Decode(body.Slice(0, cut))) + "…";
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
