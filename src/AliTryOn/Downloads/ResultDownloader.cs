using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using Polly.Timeout;

namespace AliTryOn.Downloads;

/// <summary>
/// Downloads result images through the downloads client (resilience, no authentication; see
/// <see cref="Http.TryOnHttpPipeline.CreateDownloadHttpClient"/>) to a stream, a file or a folder, and turns every
/// failure into a typed exception. Arguments are checked before anything is sent.
/// </summary>
internal sealed class ResultDownloader(HttpClient httpClient, TimeProvider timeProvider, TryOnTelemetry? telemetry)
{
    /// <summary>How much is copied at a time from memory to a stream that cannot be taken back.</summary>
    private const int CopyBytes = 81920;

    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) URL, or the stream is not writable.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
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

        return ToStreamCoreAsync(resultUrl, destination, Checked(options), cancellationToken);
    }

    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) URL, or the path is not a valid file path.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Task<TryOnDownloadedImage> ToFileAsync(Uri resultUrl, string path, TryOnDownloadOptions? options, CancellationToken cancellationToken)
    {
        CheckUrl(resultUrl, nameof(resultUrl), "resultUrl");
        var fullPath = FullPath(path, nameof(path));
        if (fullPath.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)
            || fullPath.EndsWith(Path.AltDirectorySeparatorChar.ToString(), StringComparison.Ordinal)
            || Directory.Exists(fullPath))
        {
            // Found before anything is sent, not after the image arrived and could not be moved into place.
            throw new ArgumentException($"'{path}' is a folder; give the path of the file to write (DownloadResultsAsync names the files of a job itself).", nameof(path));
        }

        var checkedOptions = Checked(options);
        return ToFileCoreAsync(resultUrl, _ => fullPath, checkedOptions.MaxBytes, checkedOptions.Progress, taskIndex: null, resultIndex: null, cancellationToken);
    }

    /// <exception cref="ArgumentNullException">An argument, or a result link of the job, is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A result link of the job is not an absolute http(s) URL, or the folder is not a valid path.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Task<IReadOnlyList<TryOnDownloadedImage>> ToDirectoryAsync(TryOnJob job, string directory, TryOnDownloadOptions? options, CancellationToken cancellationToken)
    {
        if (job is null)
        {
            throw new ArgumentNullException(nameof(job));
        }

        var folder = FullPath(directory, nameof(directory));
        var checkedOptions = Checked(options);
        // Only the successful tasks' images: a link the service left on another task is no result.
        var links = new List<(int TaskIndex, int ResultIndex, Uri Url)>();
        var indices = new HashSet<int>();
        foreach (var task in job.SucceededTasks)
        {
            if (!indices.Add(task.Index))
            {
                // Only a job built by hand can have this (the service's tasks are numbered by position); one task's
                // images would silently replace the other's.
                throw new ArgumentException(
                    $"job.Tasks has two successful tasks with index {task.Index}, so their images would be saved under the same file names; each task of a job needs its own index.",
                    nameof(job));
            }

            for (var i = 0; i < task.ResultUrls.Count; i++)
            {
                CheckUrl(task.ResultUrls[i], nameof(job), $"job.Tasks[{task.Index}].ResultUrls[{i}]");
                links.Add((task.Index, i, task.ResultUrls[i]));
            }
        }

        return ToDirectoryCoreAsync(job.ResultKey, links, folder, checkedOptions, cancellationToken);
    }

    /// <summary>
    /// Every image of the job, at most <see cref="TryOnDownloadOptions.MaxConcurrency"/> at once, taken in job order by
    /// workers; a failure is kept and the others go on; cancellation stops them all.
    /// </summary>
    private async Task<IReadOnlyList<TryOnDownloadedImage>> ToDirectoryCoreAsync(string resultKey, List<(int TaskIndex, int ResultIndex, Uri Url)> links, string folder, TryOnDownloadOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CreateFolder(folder);
        var saved = new TryOnDownloadedImage?[links.Count];
        var failed = new Exception?[links.Count];
        var next = -1;
        async Task WorkAsync()
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < links.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (taskIndex, resultIndex, url) = links[n];
                try
                {
                    saved[n] = await ToFileCoreAsync(
                        url,
                        mediaType => Path.Combine(folder, ResultFileNames.For(resultKey, taskIndex, resultIndex, ImageContentTypes.ExtensionOf(mediaType))),
                        options.MaxBytes,
                        options.Progress is { } report ? new IndexedProgress(report, taskIndex, resultIndex) : null,
                        taskIndex,
                        resultIndex,
                        cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed[n] = exception;
                }
            }
        }

        var workers = new Task[Math.Min(options.MaxConcurrency, links.Count)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var images = new List<TryOnDownloadedImage>(links.Count);
        var failures = new List<TryOnDownloadFailure>();
        for (var n = 0; n < links.Count; n++)
        {
            if (saved[n] is { } image)
            {
                images.Add(image);
            }
            else
            {
                failures.Add(new TryOnDownloadFailure(links[n].TaskIndex, links[n].ResultIndex, failed[n]!));
            }
        }

        if (failures.Count > 0)
        {
            throw DownloadErrors.SomeFailed(resultKey, folder, links.Count, images, failures);
        }

        return images;
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

    /// <summary>
    /// To a stream: straight into it when it can be taken back (seekable, at its end), else into memory first and then
    /// into the stream once the image is complete, so it receives a whole image or nothing either way.
    /// </summary>
    private async Task<TryOnDownloadedImage> ToStreamCoreAsync(Uri url, Stream destination, TryOnDownloadOptions options, CancellationToken cancellationToken)
    {
        if (StreamDownloadSink.TryCreate(destination) is { } direct)
        {
            using (direct)
            {
                return await DownloadAsync(
                    url,
                    options.MaxBytes,
                    options.Progress,
                    direct,
                    (mediaType, length, _) =>
                    {
                        direct.Keep();
                        return Task.FromResult(new TryOnDownloadedImage(mediaType, length));
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        using var memory = new MemoryDownloadSink();
        return await DownloadAsync(
            url,
            options.MaxBytes,
            options.Progress,
            memory,
            async (mediaType, length, token) =>
            {
                memory.Buffer.Position = 0;
                await memory.Buffer.CopyToAsync(destination, CopyBytes, token).ConfigureAwait(false);
                return new TryOnDownloadedImage(mediaType, length);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>To a file, whole or not at all: streamed into a temporary file beside it, moved into place once complete.</summary>
    private async Task<TryOnDownloadedImage> ToFileCoreAsync(
        Uri url,
        Func<string, string> pathOf,
        long maxBytes,
        IProgress<TryOnDownloadProgress>? progress,
        int? taskIndex,
        int? resultIndex,
        CancellationToken cancellationToken)
    {
        using var file = new FileDownloadSink(pathOf);
        return await DownloadAsync(
            url,
            maxBytes,
            progress,
            file,
            async (mediaType, length, token) =>
            {
                var path = await file.CommitAsync(token).ConfigureAwait(false);
                return new TryOnDownloadedImage(mediaType, length, path, taskIndex, resultIndex);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One download, with its span, metrics and logs around it: stream the image into the sink, then finish.</summary>
    private async Task<TryOnDownloadedImage> DownloadAsync(
        Uri url,
        long maxBytes,
        IProgress<TryOnDownloadProgress>? progress,
        DownloadSink sink,
        Func<string, long, CancellationToken, Task<TryOnDownloadedImage>> finish,
        CancellationToken cancellationToken)
    {
        using var activity = TryOnTelemetry.StartDownload(url);
        var started = timeProvider.GetTimestamp();
        try
        {
            using var request = new DownloadRequestMessage(url, maxBytes, progress, sink);
            int status;
            string mediaType;
            long length;
            using (var response = await FetchAsync(request, cancellationToken).ConfigureAwait(false))
            {
                var headers = response.Content!.Headers;
                (status, mediaType, length) = ((int)response.StatusCode, headers.ContentType!.MediaType!, headers.ContentLength ?? 0);
            }

            var image = await finish(mediaType, length, cancellationToken).ConfigureAwait(false);
            telemetry?.DownloadSucceeded(activity, status, timeProvider.GetElapsedTime(started), image.Length);
            return image;
        }
        catch (Exception exception)
        {
            telemetry?.Failed(activity, "download", timeProvider.GetElapsedTime(started), exception);
            throw;
        }
    }

    /// <summary>
    /// The response to <paramref name="request"/>, its image in the request's sink (or in memory without one), or the
    /// typed exception of why not; a local failure of the sink is thrown as itself.
    /// </summary>
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
        catch (DownloadSinkException local)
        {
            ExceptionDispatchInfo.Capture(local.InnerException!).Throw();
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

        if (options.MaxConcurrency is < 1 or > TryOnDownloadOptions.MaxConcurrencyLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, $"TryOnDownloadOptions.MaxConcurrency must be from 1 to {TryOnDownloadOptions.MaxConcurrencyLimit} downloads at once.");
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

        // As when a job is read: a name and password in a link are a credential, and no result link carries one.
        if (url.UserInfo.Length > 0)
        {
            throw new ArgumentException($"{description} must not carry user information (a name or password before its host, {url.Host}); result links never do.", paramName);
        }
    }

    /// <summary>Creates the folder, or says in a sentence that names it why it could not be.</summary>
    private static void CreateFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (IOException exception) when (exception.GetType() == typeof(IOException))
        {
            // Its subtypes (a path too long…) are left as they are, for callers that catch them.
            throw new IOException(
                File.Exists(folder)
                    ? $"The results cannot be saved to {folder}: it is a file, not a folder."
                    : $"The folder {folder} could not be created for the results: {exception.Message}",
                exception);
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
