using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Http;

namespace AliTryOn.Downloads;

/// <summary>
/// The exceptions of failed downloads, with messages that say what to do. A result link's query string carries its
/// signature, so messages and properties show the link without it.
/// </summary>
internal static class DownloadErrors
{
    /// <summary>How much of an error body is read for the storage host's code and message.</summary>
    private const int ErrorBodyBytes = 1024;

    /// <summary>The link without its user information, query string or fragment, for messages.</summary>
    public static string Display(Uri url) => url.IsAbsoluteUri ? Diagnostics.UrlDisplay.Show(url) : "(relative link)";

    public static TryOnUnexpectedContentTypeException NotAnImage(Uri url, int status, string? mediaType) => new(
        $"The result link {Display(url)} answered with {(mediaType is null ? "no content type" : $"content type '{mediaType}'")} (HTTP {status}), not an image (image/*). Nothing was written.",
        new TryOnErrorDetails { Status = status })
    {
        ContentType = mediaType,
    };

    public static TryOnDownloadException Encoded(Uri url, int status, string coding) => new(
        $"The result link {Display(url)} answered with the image compressed ('Content-Encoding: {coding}', HTTP {status}) though it was asked for as stored; the bytes would not be the image, so nothing was written. A transport that decompresses (HttpClientHandler.AutomaticDecompression) accepts it.",
        new TryOnErrorDetails { Status = status });

    /// <summary>A success that is not the whole image: 206 (part of it) to a request for all of it, 204, 205 or another 2xx.</summary>
    public static TryOnDownloadException NotWhole(Uri url, int status) => new(
        $"The result link {Display(url)} answered HTTP {status}{status switch { 206 => " (Partial Content) to a request for the whole image", 204 => " (No Content)", 205 => " (Reset Content)", _ => string.Empty }}, not HTTP 200 with the image; nothing was written.",
        new TryOnErrorDetails { Status = status });

    /// <summary>A success with no body: no image, though nothing failed on the way.</summary>
    public static TryOnDownloadException Empty(Uri url, int status) => new(
        $"The result link {Display(url)} answered with an empty body (0 bytes, HTTP {status}), which is no image; nothing was written.",
        new TryOnErrorDetails { Status = status });

    public static TryOnDownloadTooLargeException TooLarge(Uri url, int status, long maxBytes, long? declared) => new(
        declared > maxBytes
            ? $"The result image at {Display(url)} is {declared} bytes, more than the limit of {maxBytes} bytes (TryOnDownloadOptions.MaxBytes); it was not downloaded."
            : $"The result image at {Display(url)} is larger than the limit of {maxBytes} bytes (TryOnDownloadOptions.MaxBytes); the download stopped there and nothing was written.",
        new TryOnErrorDetails { Status = status })
    {
        MaxBytes = maxBytes,
        ContentLength = declared,
    };

    public static TryOnRedirectException Redirect(Uri url, string why, Uri? location, int? status) => new(
        $"The download of {Display(url)} was redirected, and the redirect was not followed: {why}.",
        status is null ? null : new TryOnErrorDetails { Status = status })
    {
        Location = Diagnostics.UrlDisplay.Safe(location),
    };

    /// <summary>How many failures a message of <see cref="SomeFailed"/> spells out; the rest are in its <c>Failures</c>.</summary>
    private const int FailuresNamed = 5;

    /// <summary>Some images of a job failed: how many, why (each failure's own message), and what was saved.</summary>
    public static TryOnDownloadsFailedException SomeFailed(
        string resultKey,
        string folder,
        int total,
        IReadOnlyList<TryOnDownloadedImage> saved,
        IReadOnlyList<TryOnDownloadFailure> failures)
    {
        var named = failures.Take(FailuresNamed).Select(static f => $" Task {f.TaskIndex}, result {f.ResultIndex}: {Sentence(f.Exception.Message)}");
        var message = $"{failures.Count} of the {total} result images of job {resultKey} could not be downloaded"
            + (saved.Count > 0 ? $"; the other {saved.Count} were saved to {folder}." : ".")
            + string.Concat(named)
            + (failures.Count > FailuresNamed ? $" And {failures.Count - FailuresNamed} more (see Failures)." : string.Empty);
        var error = new TryOnDownloadsFailedException(message, saved, failures);
        error.SetResultKey(resultKey);
        return error;
    }

    /// <summary>A message that ends as a sentence, so the next one does not run on from it.</summary>
    private static string Sentence(string message)
    {
        var text = message.TrimEnd();
        return text.Length == 0 || text[text.Length - 1] is '.' or '!' or '?' ? text : text + ".";
    }

    /// <summary>The exception of a final answer that is not a success (after the retries the client allows).</summary>
    /// <param name="response">The answer; its body is read (at most 1 KiB) for the storage host's error code and message.</param>
    /// <param name="url">The link that was asked for.</param>
    /// <param name="timeProvider">The clock, for a <c>Retry-After</c> given as a date.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    public static async Task<TryOnException> FromResponseAsync(HttpResponseMessage response, Uri url, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await ReadStartAsync(response, cancellationToken).ConfigureAwait(false);
        var code = XmlElement(body, "Code");
        var message = XmlElement(body, "Message");
        var details = new TryOnErrorDetails
        {
            Status = status,
            ErrorCode = code,
            ErrorMessage = message,
            RequestId = TryOnResponseMapper.Header(response, "x-oss-request-id")
                ?? TryOnResponseMapper.Header(response, "x-amz-request-id")
                ?? TryOnResponseMapper.Header(response, "x-ms-request-id"),
        };
        var said = code is null ? string.Empty : message is null ? $", {code}" : $", {code}: {message}";
        switch (status)
        {
            case 401 or 403 or 410:
                var expiresAt = ExpiryOf(url);
                // What the link itself says of its expiry, when it says: a link refused before it expires is refused
                // for another reason, and the message must not claim otherwise.
                var verdict = expiresAt is not { } at
                    ? "it has most likely expired."
                    : at <= timeProvider.GetUtcNow()
                        ? $"it has expired. It was valid until {at.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}, which has passed."
                        : $"the link says it is valid until {at.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}, so it was refused for another reason: its signature, the storage host's permissions, or a clock that is wrong on one side.";
                return new TryOnResultExpiredException(
                    $"The storage host refused the result link {Display(url)} (HTTP {status}{said}): {verdict} Result links are short-lived: download results as soon as the job completes, or query the job again for fresh links.",
                    details)
                {
                    ExpiresAt = expiresAt,
                };
            case 404:
                return new TryOnDownloadException($"The storage host has no result at {Display(url)} (HTTP 404{said}): the link is wrong, or the result was removed.", details);
            case 429:
                return new TryOnThrottledException($"The storage host throttled the download of {Display(url)} (HTTP 429{said}), after the retries the client allows.", details)
                {
                    RetryAfter = TryOnResiliencePipeline.RetryAfterOf(response, timeProvider),
                };
            case 304:
                // Nothing was redirected, and an answer with no image is no result.
                return new TryOnDownloadException($"The download of {Display(url)} was answered HTTP 304 (Not Modified), which carries no image; nothing was written.", details);
            case >= 300 and <= 399:
                return Redirect(url, $"HTTP {status} without a Location the client can follow", response.Headers.Location is { IsAbsoluteUri: true } location ? location : null, status);
            default:
                var retried = status is 408 or >= 500 ? ", after the retries the client allows" : string.Empty;
                // What the host asked, whether or not it was waited for (a wait over Retry.MaxRetryAfter is not).
                var wait = status is 408 or >= 500 && TryOnResiliencePipeline.RetryAfterOf(response, timeProvider) is { } asked && asked > TimeSpan.Zero
                    ? $" The storage host asked to wait {asked.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s before trying again."
                    : string.Empty;
                return new TryOnDownloadException($"The download of {Display(url)} failed with HTTP {status}{said}{retried}.{wait}", details);
        }
    }

    /// <summary>
    /// When a signed link expires, from its query string: <c>Expires</c> (seconds since the epoch, as in OSS's first
    /// signature version), or <c>x-oss-date</c>/<c>X-Amz-Date</c> plus <c>x-oss-expires</c>/<c>X-Amz-Expires</c> seconds.
    /// </summary>
    internal static DateTimeOffset? ExpiryOf(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Query.Length < 2)
        {
            return null;
        }

        string? expires = null, date = null, lifetime = null;
        foreach (var part in url.Query.Substring(1).Split('&'))
        {
            var separator = part.IndexOf('=');
            if (separator <= 0)
            {
                continue;
            }

            var name = part.Substring(0, separator);
            var value = Uri.UnescapeDataString(part.Substring(separator + 1));
            if (name.Equals("Expires", StringComparison.OrdinalIgnoreCase))
            {
                expires = value;
            }
            else if (name.Equals("x-oss-date", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase))
            {
                date = value;
            }
            else if (name.Equals("x-oss-expires", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Amz-Expires", StringComparison.OrdinalIgnoreCase))
            {
                lifetime = value;
            }
        }

        if (long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            && int.TryParse(lifetime, NumberStyles.None, CultureInfo.InvariantCulture, out var valid))
        {
            return signedAt.AddSeconds(valid);
        }

        return null;
    }

    /// <summary>The text of the first <c>&lt;name&gt;</c> element of an XML error body (OSS and S3 answer so), if short and plain.</summary>
    internal static string? XmlElement(string? body, string name)
    {
        if (body is null)
        {
            return null;
        }

        var open = "<" + name + ">";
        var start = body.IndexOf(open, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += open.Length;
        var end = body.IndexOf("</" + name + ">", start, StringComparison.Ordinal);
        if (end < 0 || end - start > 200)
        {
            return null;
        }

        var text = body.Substring(start, end - start).Trim();
        return text.Length == 0 || text.Any(static c => c is '<' or '>' || char.IsControl(c)) ? null : text;
    }

    /// <summary>The start of an error body as text; nothing when there is none or it cannot be read.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is not { } content)
        {
            return null;
        }

        try
        {
#if NET5_0_OR_GREATER
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
            var buffer = new byte[ErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length
#if NETCOREAPP2_1_OR_GREATER
                && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
#else
                && (read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false)) > 0)
#endif
            {
                length += read;
            }

            return length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            return null; // the status says enough
        }
    }
}
