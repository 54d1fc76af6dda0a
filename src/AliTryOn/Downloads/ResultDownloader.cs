using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using AliTryOn.IO;
using Polly.Timeout;

namespace AliTryOn.Downloads;

/// <summary>
/// Downloads result images through the downloads client (resilience, no authentication; see
/// <see cref="Http.TryOnHttpPipeline.CreateDownloadHttpClient"/>) to a stream, a file or a folder, and turns every
/// failure into a typed exception. Arguments are checked before anything is sent.
/// </summary>
internal sealed class ResultDownloader(HttpClient httpClient, TimeProvider timeProvider, TryOnTelemetry? telemetry)
{
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) URL, or the stream is not writable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnDownloadOptions.MaxBytes"/> is out of range.</exception>
    public Task<TryOnDownloadedImage> ToStreamAsync(Uri resultUrl, Stream destination, TryOnDownloadOptions? options, CancellationToken cancellationToken)
    {
        CheckUrl(resultUrl, nameof(resultUrl), "resultUrl");
        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        return DownloadOneAsync(
            resultUrl,
            options,
            async (content, mediaType, length, token) =>
            {
                await DownloadStreams.CopyAsync(content, destination, token).ConfigureAwait(false);
                return new TryOnDownloadedImage(mediaType, length);
            },
            cancellationToken);
    }

    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) URL, or the path is not a valid file path.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnDownloadOptions.MaxBytes"/> is out of range.</exception>
    public Task<TryOnDownloadedImage> ToFileAsync(Uri resultUrl, string path, TryOnDownloadOptions? options, CancellationToken cancellationToken)
    {
        CheckUrl(resultUrl, nameof(resultUrl), "resultUrl");
        var fullPath = FullPath(path, nameof(path));
        return DownloadOneAsync(
            resultUrl,
            options,
            async (content, mediaType, length, token) =>
            {
                await AtomicFile.WriteAsync(fullPath, (file, ct) => DownloadStreams.CopyAsync(content, file, ct), token).ConfigureAwait(false);
                return new TryOnDownloadedImage(mediaType, length, fullPath);
            },
            cancellationToken);
    }

    /// <exception cref="ArgumentNullException">An argument, or a result link of the job, is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A result link of the job is not an absolute http(s) URL, or the folder is not a valid path.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TryOnDownloadOptions.MaxBytes"/> is out of range.</exception>
    public Task<IReadOnlyList<TryOnDownloadedImage>> ToDirectoryAsync(TryOnJob job, string directory, TryOnDownloadOptions? options, CancellationToken cancellationToken)
    {
        if (job is null)
        {
            throw new ArgumentNullException(nameof(job));
        }

        var folder = FullPath(directory, nameof(directory));
        var checkedOptions = Checked(options);
        foreach (var task in job.Tasks)
        {
            for (var i = 0; i < task.ResultUrls.Count; i++)
            {
                CheckUrl(task.ResultUrls[i], nameof(job), $"job.Tasks[{task.Index}].ResultUrls[{i}]");
            }
        }

        return ToDirectoryCoreAsync(job, folder, checkedOptions, cancellationToken);
    }

    private async Task<IReadOnlyList<TryOnDownloadedImage>> ToDirectoryCoreAsync(TryOnJob job, string folder, TryOnDownloadOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var saved = new List<TryOnDownloadedImage>();
        foreach (var task in job.Tasks)
        {
            for (var i = 0; i < task.ResultUrls.Count; i++)
            {
                var taskIndex = task.Index;
                var resultIndex = i;
                var progress = options.Progress is { } report ? new IndexedProgress(report, taskIndex, resultIndex) : null;
                saved.Add(await DownloadAsync(
                    task.ResultUrls[i],
                    options.MaxBytes,
                    progress,
                    async (content, mediaType, length, token) =>
                    {
                        var path = Path.Combine(folder, ResultFileNames.For(job.ResultKey, taskIndex, resultIndex, ImageContentTypes.ExtensionOf(mediaType)));
                        await AtomicFile.WriteAsync(path, (file, ct) => DownloadStreams.CopyAsync(content, file, ct), token).ConfigureAwait(false);
                        return new TryOnDownloadedImage(mediaType, length, path, taskIndex, resultIndex);
                    },
                    cancellationToken).ConfigureAwait(false));
            }
        }

        return saved;
    }

    /// <summary>
    /// The first <paramref name="length"/> bytes of an image at <paramref name="url"/> (a ranged <c>GET</c>; a server that
    /// ignores the range sends the whole image, read up to <see cref="TryOnDownloadOptions.DefaultMaxBytes"/>), with the
    /// same retries, redirect rules, content-type check and credential guard as a result download.
    /// </summary>
    /// <exception cref="TryOnException">The typed reason the image could not be fetched.</exception>
    public async Task<byte[]> FetchStartAsync(Uri url, int length, CancellationToken cancellationToken)
    {
        using var request = new DownloadRequestMessage(url, TryOnDownloadOptions.DefaultMaxBytes, progress: null);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, length - 1);
        using var response = await FetchAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content!.ReadAsByteArrayAsync().ConfigureAwait(false);
        return bytes.Length > length ? bytes.AsSpan(0, length).ToArray() : bytes;
    }

    /// <summary>One link of its own (its argument already checked): the call's options checked, then the download.</summary>
    private Task<TryOnDownloadedImage> DownloadOneAsync(
        Uri url,
        TryOnDownloadOptions? options,
        Func<HttpContent, string, long, CancellationToken, Task<TryOnDownloadedImage>> store,
        CancellationToken cancellationToken)
    {
        var checkedOptions = Checked(options);
        return DownloadAsync(url, checkedOptions.MaxBytes, checkedOptions.Progress, store, cancellationToken);
    }

    /// <summary>One download, with its span, metrics and logs around it: fetch the image, then store it.</summary>
    private async Task<TryOnDownloadedImage> DownloadAsync(
        Uri url,
        long maxBytes,
        IProgress<TryOnDownloadProgress>? progress,
        Func<HttpContent, string, long, CancellationToken, Task<TryOnDownloadedImage>> store,
        CancellationToken cancellationToken)
    {
        using var activity = TryOnTelemetry.StartDownload(url);
        var started = timeProvider.GetTimestamp();
        try
        {
            using var response = await FetchAsync(url, maxBytes, progress, cancellationToken).ConfigureAwait(false);
            var content = response.Content!;
            var image = await store(content, content.Headers.ContentType!.MediaType!, content.Headers.ContentLength ?? 0, cancellationToken).ConfigureAwait(false);
            telemetry?.DownloadSucceeded(activity, (int)response.StatusCode, timeProvider.GetElapsedTime(started), image.Length);
            return image;
        }
        catch (Exception exception)
        {
            telemetry?.Failed(activity, "download", timeProvider.GetElapsedTime(started), exception);
            throw;
        }
    }

    /// <summary>The image in memory, or the typed exception of why not.</summary>
    private async Task<HttpResponseMessage> FetchAsync(Uri url, long maxBytes, IProgress<TryOnDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var request = new DownloadRequestMessage(url, maxBytes, progress);
        return await FetchAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The response to <paramref name="request"/> with its image in memory, or the typed exception of why not.</summary>
    private async Task<HttpResponseMessage> FetchAsync(DownloadRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!;
        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException timeout)
        {
            throw new TryOnTimeoutException(
                $"The download of {DownloadErrors.Display(url)} did not complete within {timeout.Timeout} (AttemptTimeout or TotalTimeout of TryOnClientOptions), after the retries the client allows.",
                null,
                timeout);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new TryOnConnectionException(
                $"The result could not be downloaded from {url.Host}, after the retries the client allows: {exception.Message}",
                null,
                exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await DownloadErrors.FromResponseAsync(response, url, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TryOnDownloadOptions Checked(TryOnDownloadOptions? options)
    {
        options ??= new TryOnDownloadOptions();
        if (options.MaxBytes is <= 0 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBytes, $"TryOnDownloadOptions.MaxBytes must be from 1 to {int.MaxValue} bytes.");
        }

        return options;
    }

    /// <summary>A result link must be absolute http or https. Messages name the argument, never the link (it carries a signature).</summary>
    private static void CheckUrl(Uri? url, string paramName, string description)
    {
        if (url is null)
        {
            throw new ArgumentNullException(paramName, $"{description} is null.");
        }

        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"{description} must be an absolute http or https URL; it is relative.", paramName);
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{description} must be an absolute http or https URL; its scheme is '{url.Scheme}'.", paramName);
        }
    }

    private static string FullPath(string path, string paramName)
    {
        if (path is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The path must not be empty or whitespace.", paramName);
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw new ArgumentException($"'{path}' is not a usable path: {exception.Message}", paramName, exception);
        }
    }

    /// <summary>Adds the task and result indexes of an image of a job to its progress reports.</summary>
    private sealed class IndexedProgress(IProgress<TryOnDownloadProgress> inner, int taskIndex, int resultIndex) : IProgress<TryOnDownloadProgress>
    {
        public void Report(TryOnDownloadProgress value) => inner.Report(value with { TaskIndex = taskIndex, ResultIndex = resultIndex });
    }
}
