using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// Reads a response body into a pooled buffer, refusing bodies larger than a cap. A body in <c>gzip</c>, which a server
/// may send although the client asks for none (<c>Accept-Encoding: identity</c>), is decoded, the cap counting the
/// decoded bytes: a submit's answer names its billed job.
/// </summary>
internal static class BoundedContent
{
    /// <summary>The largest response body the client reads: far above any real response, far below harm.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private const int InitialBufferBytes = 4096;

    /// <exception cref="TryOnInvalidResponseException">The body is larger than <paramref name="maxBytes"/>.</exception>
    public static async ValueTask<PooledBytes> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = response.Content?.Headers.ContentLength;
        if (response.Content is null || declared == 0)
        {
            return default;
        }

        var gzipped = IsGzipped(response);

        // A body declared too large is still read up to the cap: a submit's answer names its billed job in its first bytes.
#if NET5_0_OR_GREATER
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        using (stream)
        {
            // The cap counts the decoded bytes, and the body's own too: a gzip body may decode to little.
            var counted = gzipped ? new CountedReadStream(stream, maxBytes) : null;
            using var decoded = counted is null ? null : new GZipStream(counted, CompressionMode.Decompress);
            var source = (Stream?)decoded ?? stream;
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(gzipped ? InitialBufferBytes : declared ?? InitialBufferBytes, maxBytes + 1L));
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxBytes)
                        {
                            throw TooLarge(response, maxBytes, buffer.AsSpan(0, length));
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                        Buffer.BlockCopy(buffer, 0, larger, 0, length);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read;
                    try
                    {
                        read = await ReadChunkAsync(source, buffer, length, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidDataException broken)
                    {
                        throw counted?.Count > maxBytes ? TooLarge(response, maxBytes, buffer.AsSpan(0, length)) : Undecodable(response, broken, buffer.AsSpan(0, length));
                    }
                    catch (Exception exception) when (length > 0 && exception is IOException or HttpRequestException)
                    {
                        var resultKey = ResponseInspector.ReadResultKey(buffer.AsSpan(0, length));
                        var named = resultKey is null ? string.Empty : $" (the part that arrived names the job '{resultKey}')";
                        throw new CutOffResponseException($"The connection broke after {length} bytes of the response{named}: {exception.Message}", exception, resultKey);
                    }

                    if (counted?.Count > maxBytes)
                    {
                        throw TooLarge(response, maxBytes, buffer.AsSpan(0, length + read));
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > maxBytes)
                    {
                        throw TooLarge(response, maxBytes, buffer.AsSpan(0, length));
                    }
                }

                var result = new PooledBytes(buffer, length);
                buffer = null;
                return result;
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    // A ValueTask: most reads complete at once, and a Task<int> of a byte count is rarely a cached one.
    private static ValueTask<int> ReadChunkAsync(Stream stream, byte[] buffer, int offset, CancellationToken cancellationToken) =>
#if NETCOREAPP2_1_OR_GREATER
        stream.ReadAsync(buffer.AsMemory(offset), cancellationToken);
#else
        new(stream.ReadAsync(buffer, offset, buffer.Length - offset, cancellationToken));
#endif

    /// <summary>
    /// Whether <paramref name="response"/>'s body is in <c>gzip</c> (or <c>x-gzip</c>), after any <c>identity</c>: the one
    /// content coding the client decodes.
    /// </summary>
    public static bool IsGzipped(HttpResponseMessage response) =>
        Codings(response) is [var only] && (string.Equals(only, "gzip", StringComparison.OrdinalIgnoreCase) || string.Equals(only, "x-gzip", StringComparison.OrdinalIgnoreCase));

    /// <summary>The content coding of <paramref name="response"/>'s body that the client does not decode (<c>br</c>, <c>deflate</c>…), if it has one.</summary>
    public static string? UndecodedCoding(HttpResponseMessage response) =>
        Codings(response) is { Length: > 0 } codings && !IsGzipped(response) ? string.Join(", ", response.Content!.Headers.ContentEncoding) : null;

    /// <summary>The content codings applied to the body, <c>identity</c> (none) left out.</summary>
    /// <remarks>The header is looked up before it is parsed: every answer comes here, and almost none has it.</remarks>
    private static string[] Codings(HttpResponseMessage response) =>
        response.Content is { } content && content.Headers.Contains("Content-Encoding") && content.Headers.ContentEncoding is { Count: > 0 } codings
            ? [.. codings.Where(static c => !string.Equals(c, "identity", StringComparison.OrdinalIgnoreCase))]
            : [];

    private static TryOnInvalidResponseException Undecodable(HttpResponseMessage response, InvalidDataException broken, ReadOnlySpan<byte> start)
    {
        var resultKey = ResponseInspector.ReadResultKey(start);
        var named = resultKey is null ? string.Empty : $" The part decoded names the job '{resultKey}'.";
        return new(
            $"The service's response could not be read: its gzip-encoded body is not valid gzip after {start.Length} decoded bytes (HTTP {(int)response.StatusCode}).{named}",
            new TryOnErrorDetails { Status = (int)response.StatusCode },
            broken)
        {
            AnswerResultKey = resultKey,
        };
    }

    private static TryOnInvalidResponseException TooLarge(HttpResponseMessage response, int maxBytes, ReadOnlySpan<byte> start)
    {
        // The key the first bytes name is the answer's, not the call's: a submit's outcome-unknown error takes it (a
        // billed job), a query's error names the job queried.
        return new(
            $"The response was larger than the {maxBytes} bytes the client accepts (HTTP {(int)response.StatusCode}); it was not read in full.",
            new TryOnErrorDetails { Status = (int)response.StatusCode })
        {
            AnswerResultKey = ResponseInspector.ReadResultKey(start),
        };
    }
}
