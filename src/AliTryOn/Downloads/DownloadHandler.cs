using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Downloads;

/// <summary>
/// The outer handler of the downloads client: runs each download through the client's resilience pipeline (built by
/// <see cref="Http.TryOnResiliencePipeline.CreateForDownloads"/>), and within each attempt follows redirects it can
/// follow safely, checks the content type and size, and reads the whole body, so the attempt timeout covers the body
/// and a connection lost halfway is retried like any other. The body goes to the request's <see cref="DownloadSink"/>
/// (a temporary file, the caller's stream) one chunk at a time, so memory stays bounded whatever the image's size; a
/// retried attempt empties the sink first. Without a sink the response holds the image in memory.
/// </summary>
/// <remarks>
/// Redirects are followed here rather than by the transport (whose automatic redirects are off): at most
/// <see cref="MaxRedirects"/>, never from <c>https</c> to another scheme. Nothing sensitive can follow them: the
/// downloads client has no authentication handler, and <see cref="StorageCredentialGuard"/> sits just before the
/// transport.
/// </remarks>
/// <param name="pipelines">The pipeline of each download, read as it starts: the current one of options that may be reloaded.</param>
internal sealed class DownloadHandler(Func<Http.TimedPipeline> pipelines) : DelegatingHandler
{
    /// <summary>A handler whose downloads all run through <paramref name="pipeline"/>.</summary>
    public DownloadHandler(Http.TimedPipeline pipeline)
        : this(() => pipeline)
    {
    }

    /// <summary>The most redirects one attempt follows.</summary>
    public const int MaxRedirects = 5;

    /// <summary>How much is read at a time, and so how often progress is reported.</summary>
    private const int ChunkBytes = 81920;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri ?? throw new InvalidOperationException("The download request has no address.");
        return await pipelines().ExecuteAsync(
            request,
            static (_, state, attemptToken) => new ValueTask<HttpResponseMessage>(state.handler.AttemptAsync(state.request, state.url, attemptToken)),
            (handler: this, request, url),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One attempt: from the link itself, through any redirects, to a success whose body is read, or to the answer
    /// that is not one (for the retry policy to judge).
    /// </summary>
    private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        // Each attempt starts from the link: a redirect's target may be short-lived.
        request.RequestUri = url;
        for (var redirects = 0; ; redirects++)
        {
            var current = request.RequestUri!;
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var target = RedirectTarget(response, current);
            if (target is null)
            {
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        await ReadBodyAsync(response, url, request as DownloadRequestMessage, request.Headers.Range is not null, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                }

                return response;
            }

            var status = (int)response.StatusCode;
            response.Dispose();
            if (redirects == MaxRedirects)
            {
                throw DownloadErrors.Redirect(url, $"more than {MaxRedirects} redirects", target, status);
            }

            if (target.Scheme != Uri.UriSchemeHttps && !(target.Scheme == Uri.UriSchemeHttp && current.Scheme == Uri.UriSchemeHttp))
            {
                throw DownloadErrors.Redirect(url, $"it leads from {current.Scheme} to {target.Scheme}", target, status);
            }

            request.RequestUri = target;
            StorageCredentialGuard.Strip(request);
        }
    }

    /// <summary>Where a redirect leads (its <c>Location</c>, resolved against the address asked), or <see langword="null"/> when the answer is not one.</summary>
    private static Uri? RedirectTarget(HttpResponseMessage response, Uri current)
    {
        if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or (HttpStatusCode)308))
        {
            return null;
        }

        return response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(current, location)
            : null;
    }

    /// <summary>
    /// Checks that the answer is the whole image (or the part asked for, <paramref name="partAsked"/>), not empty and no
    /// larger than the limit, and streams it, chunk by chunk, into the request's
    /// sink (the response's content then keeps the image's headers, with the length received, and no body), or without
    /// one into memory in place of the original content. Errors of the sink are wrapped in
    /// <see cref="DownloadSinkException"/>, so they are not retried as a lost connection.
    /// </summary>
    private static async Task ReadBodyAsync(HttpResponseMessage response, Uri url, DownloadRequestMessage? download, bool partAsked, CancellationToken cancellationToken)
    {
        var maxBytes = download?.MaxBytes ?? TryOnDownloadOptions.DefaultMaxBytes;
        var progress = download?.Progress;
        var status = (int)response.StatusCode;

        // Only 200 (or 203, the same through a proxy) is the whole image; 206 only answers a request for a part.
        if (status is not (200 or 203) && !(status == 206 && partAsked))
        {
            throw DownloadErrors.NotWhole(url, status);
        }

        var content = response.Content;
        var mediaType = content?.Headers.ContentType?.MediaType;
        if (content is null || !ImageContentTypes.IsImage(mediaType))
        {
            throw DownloadErrors.NotAnImage(url, status, mediaType);
        }

        // A transport that decompresses removes the header; one that does not would save the compressed bytes.
        if (content.Headers.ContentEncoding.FirstOrDefault(static coding => !string.Equals(coding, "identity", StringComparison.OrdinalIgnoreCase)) is { } coding)
        {
            throw DownloadErrors.Encoded(url, status, coding);
        }

        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw DownloadErrors.TooLarge(url, status, maxBytes, declared);
        }

        using var memory = download?.Sink is null ? new MemoryDownloadSink() : null;
        var sink = download?.Sink ?? memory!;
        var destination = Sink(() => sink.Start(mediaType!, declared));
        progress?.Report(new TryOnDownloadProgress(0, declared));
#if NET5_0_OR_GREATER
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        // One chunk at a time, whatever the image's size: the chunk is written out before the next is read.
        var buffer = new byte[declared is { } size ? (int)Math.Min(size + 1, ChunkBytes) : ChunkBytes];
        long length = 0;
        while (true)
        {
#if NETCOREAPP2_1_OR_GREATER
            var read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
#else
            var read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
#endif
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length > maxBytes)
            {
                throw DownloadErrors.TooLarge(url, status, maxBytes, declared);
            }

            await SinkAsync(destination.WriteAsync(buffer, 0, read, cancellationToken)).ConfigureAwait(false);
            progress?.Report(new TryOnDownloadProgress(length, declared));
        }

        if (declared is { } expected && length != expected)
        {
            // A body cut short: the connection was lost. Retried like any other lost connection.
            throw new IOException($"The result image ended after {length} of the {expected} bytes its Content-Length declared.");
        }

        // A probe of an image's first bytes takes an empty answer as it is: its check then says it is no image.
        if (length == 0 && !partAsked)
        {
            throw DownloadErrors.Empty(url, status);
        }

        await SinkAsync(destination.FlushAsync(cancellationToken)).ConfigureAwait(false);
        HttpContent image = memory is null
            ? new ByteArrayContent([])
            : new ByteArrayContent(memory.Buffer.GetBuffer(), 0, (int)memory.Buffer.Length);
        foreach (var header in content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                image.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        image.Headers.ContentLength = length;
        content.Dispose();
        response.Content = image;
    }

    private static Stream Sink(Func<Stream> start)
    {
        try
        {
            return start();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DownloadSinkException(exception);
        }
    }

    private static async Task SinkAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DownloadSinkException(exception);
        }
    }
}
