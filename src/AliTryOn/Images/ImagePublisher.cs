using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using AliTryOn.Downloads;
using AliTryOn.Http;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Images;

/// <summary>
/// Gets a submit's images to URLs the service can fetch: checks every local image (and, when asked, every URL image)
/// against the service's input rules, then publishes each distinct local image once through the host, and deletes
/// what it published once the job has ended or when no job was created.
/// </summary>
internal sealed class ImagePublisher(
    TryOnImageHost? host,
    TryOnImageOptions options,
    TimeProvider timeProvider,
    ResultDownloader downloader,
    ImageCleanups cleanups,
    ILogger? logger)
{
    /// <summary>How much of a URL image the pre-flight check fetches: enough for the header of every accepted format.</summary>
    internal const int ProbeBytes = 64 * 1024;

    /// <summary>Uploads at once: a job has at most 40 images, and a storage service takes a few in parallel well.</summary>
    private const int MaxConcurrentUploads = 4;

    public ImageCleanups Cleanups => cleanups;

    /// <summary>Whether a submit of <paramref name="tasks"/> needs this publisher at all: any local image, or URL checks on.</summary>
    public bool HasWork(TryOnTask[] tasks)
    {
        if (options.CheckUrls)
        {
            return true;
        }

        foreach (var task in tasks)
        {
            if (task.ModelImage is not UrlImage || task.Upper?.Image is not (null or UrlImage) || task.Lower?.Image is not (null or UrlImage) || task.FullBody?.Image is not (null or UrlImage))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every problem of every image of <paramref name="tasks"/>, without publishing or sending anything: local images read
    /// and checked, URL images fetched in part and checked, a local image without a host reported.
    /// </summary>
    public async Task<IReadOnlyList<TryOnImageCheckException>> CheckAllAsync(TryOnTask[] tasks, string paramName, CancellationToken cancellationToken)
    {
        var problems = new List<TryOnImageCheckException>();
        var seen = new Dictionary<TryOnImage, TryOnImageCheckException?>();
        foreach (var slot in Slots(tasks))
        {
            if (!seen.TryGetValue(slot.Image, out var known))
            {
                try
                {
                    if (slot.Image is UrlImage url)
                    {
                        await CheckUrlAsync(slot, url, paramName, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        ThrowIfNoHost(slot, paramName);
                        await ReadAsync(slot, paramName, cancellationToken).ConfigureAwait(false);
                    }

                    known = null;
                }
                catch (TryOnImageCheckException problem)
                {
                    known = problem;
                }

                seen[slot.Image] = known;
            }

            if (known is not null)
            {
                // Each slot the image is in: the same finding, named where it is.
                problems.Add(Refused(slot, known.Problem, known.Detail, paramName, known.InnerException));
            }
        }

        return problems;
    }

    /// <summary>Checks every image, then publishes the local ones; nothing is published unless every image passed.</summary>
    /// <exception cref="TryOnImageCheckException">An image was refused; nothing was published.</exception>
    /// <exception cref="TryOnImagePublishException">The host failed; what was published for this submit was deleted.</exception>
    /// <exception cref="TryOnSubmitCanceledException">Cancelled; nothing was sent.</exception>
    public async Task<PreparedSubmit> PrepareAsync(TryOnTask[] tasks, string paramName, CancellationToken cancellationToken)
    {
        var slots = Slots(tasks).ToArray();
        if (Array.Find(slots, static s => s.Image is not UrlImage) is { } local)
        {
            ThrowIfNoHost(local, paramName);
        }

        try
        {
            // Every image is read and checked before anything is published: a bad image in the last task costs no upload.
            var contents = new Dictionary<TryOnImage, LocalImage>();
            var checkedUrls = new HashSet<TryOnImage>();
            foreach (var slot in slots)
            {
                if (slot.Image is UrlImage url)
                {
                    if (options.CheckUrls && checkedUrls.Add(url))
                    {
                        await CheckUrlAsync(slot, url, paramName, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (!contents.ContainsKey(slot.Image))
                {
                    contents[slot.Image] = await ReadAsync(slot, paramName, cancellationToken).ConfigureAwait(false);
                }
            }

            if (contents.Count == 0)
            {
                return new PreparedSubmit(tasks, Published: null);
            }

            var expiresAt = timeProvider.GetUtcNow() + options.UrlLifetime;
            var urls = await PublishAsync(contents.Values, expiresAt, cancellationToken).ConfigureAwait(false);
            var published = new PublishedImages(host!, [.. urls.Values.Select(static u => u.Key)], expiresAt);
            Uri UrlOf(TryOnImage image) => image is UrlImage url ? url.Url : urls[contents[image].Hash].Url;
            var prepared = tasks.Select(task => task with
            {
                ModelImage = new UrlImage(UrlOf(task.ModelImage)),
                Upper = Published(task.Upper),
                Lower = Published(task.Lower),
                FullBody = Published(task.FullBody),
            }).ToArray();
            return new PreparedSubmit(prepared, published);

            GarmentImage? Published(GarmentImage? garment) => garment is null ? null : garment with { Image = new UrlImage(UrlOf(garment.Image)) };
        }
        catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested && cancelled is not TryOnSubmitCanceledException)
        {
            throw TryOnFailureTranslator.CancelledBeforeSending(cancellationToken, cancelled);
        }
    }

    /// <summary>The submit failed: when no job was created, what was published for it goes at once; otherwise it waits for the job (or expires).</summary>
    public async Task SubmitFailedAsync(PublishedImages? published, Exception failure)
    {
        if (published is null || options.Cleanup == TryOnImageCleanup.Keep)
        {
            return;
        }

        switch (failure)
        {
            case TryOnSubmitOutcomeUnknownException { ResultKey: { } resultKey }:
                Keep(resultKey, published);
                break;
            case TryOnSubmitOutcomeUnknownException or TryOnSubmitCanceledException { MayHaveCreatedJob: true }:
                // A job may exist and need the images: they stay until their links expire.
                break;
            case OperationCanceledException and not TryOnSubmitCanceledException:
                break;
            default:
                await DeleteAsync(published, CancellationToken.None).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The submit created <paramref name="job"/>: its images are deleted once it has ended.</summary>
    public Task SubmittedAsync(PublishedImages? published, TryOnJob job, CancellationToken cancellationToken)
    {
        if (published is null || options.Cleanup == TryOnImageCleanup.Keep)
        {
            return Task.CompletedTask;
        }

        Keep(job.ResultKey, published);
        return JobSeenAsync(job, cancellationToken);
    }

    /// <summary>
    /// Images an earlier process published for the job <paramref name="resultKey"/> (a resumed bulk run's): they are
    /// deleted when this client sees the job end, as if it had published them. Nothing without a host or with cleanup off.
    /// </summary>
    public void Expect(string resultKey, IReadOnlyList<string> keys)
    {
        if (host is not null && keys.Count > 0 && options.Cleanup != TryOnImageCleanup.Keep)
        {
            Keep(resultKey, new PublishedImages(host, keys, timeProvider.GetUtcNow() + options.UrlLifetime));
        }
    }

    /// <summary>The keys of the images published for the job <paramref name="resultKey"/> that wait for it to end.</summary>
    public IReadOnlyList<string> KeysOf(string resultKey) => cleanups.KeysOf(resultKey);

    /// <summary>
    /// A query or submit saw <paramref name="job"/>: when it has ended, the images published for it are deleted. Cancelled
    /// midway, it stops without throwing (the call it ends has its answer), and the images left wait for the job's next
    /// sighting.
    /// </summary>
    public async Task JobSeenAsync(TryOnJob job, CancellationToken cancellationToken)
    {
        if (!cleanups.IsEmpty && job.HasCompleted && cleanups.TryTake(job.ResultKey, out var published)
            && await DeleteAsync(published!, cancellationToken).ConfigureAwait(false) is { Count: > 0 } left)
        {
            Keep(job.ResultKey, published! with { Keys = left });
        }
    }

    private void ThrowIfNoHost(ImageSlot local, string paramName)
    {
        if (host is null)
        {
            throw Refused(
                local,
                TryOnImageProblem.NoImageHost,
                $"{local.Image.DisplayName} is a local image, and the service takes images by URL only: configure an image host to publish it (TryOnClientOptions.ImageHost, or a TryOnImageHost registered with dependency injection: S3ImageHost from AliTryOn.S3, AppImageHost from AliTryOn.AspNetCore, or TryOnEmulator.ImageHost in tests). Nothing was sent.",
                paramName);
        }
    }

    private static IEnumerable<ImageSlot> Slots(TryOnTask[] tasks)
    {
        for (var i = 0; i < tasks.Length; i++)
        {
            var task = tasks[i];
            yield return new ImageSlot(i, TryOnImageSlot.ModelImage, task.ModelImage);
            if (task.Upper is { } upper)
            {
                yield return new ImageSlot(i, TryOnImageSlot.Upper, upper.Image);
            }

            if (task.Lower is { } lower)
            {
                yield return new ImageSlot(i, TryOnImageSlot.Lower, lower.Image);
            }

            if (task.FullBody is { } fullBody)
            {
                yield return new ImageSlot(i, TryOnImageSlot.FullBody, fullBody.Image);
            }
        }
    }

    /// <summary>A local image's bytes, checked against the service's rules.</summary>
    private async Task<LocalImage> ReadAsync(ImageSlot slot, string paramName, CancellationToken cancellationToken)
    {
        var name = slot.Image.DisplayName;
        ReadOnlyMemory<byte>? read;
        try
        {
            read = slot.Image switch
            {
                // Typed nulls: a bare null would become an empty image through the array conversion of ReadOnlyMemory.
                BytesImage bytes => bytes.Content.Length > options.MaxBytes ? (ReadOnlyMemory<byte>?)null : bytes.Content,
                StreamImage stream => await ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false),
                FileImage file => await ReadFileAsync(file.Path, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Unknown image kind {slot.Image.GetType().Name}."),
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            throw Refused(slot, TryOnImageProblem.Unreadable, $"{name} cannot be read: {exception.Message}", paramName, exception);
        }

        if (read is not { } content)
        {
            throw Refused(slot, TryOnImageProblem.TooLarge, $"{name} is larger than {Size(options.MaxBytes)}, the limit of TryOnImageOptions.MaxBytes", paramName);
        }

        var info = TryOnImageInfo.Identify(content);
        if (info is null || (info.Format is not null && (info.Width == 0 || info.Height == 0)))
        {
            throw Refused(slot, TryOnImageProblem.NotAnImage, TryOnImageInfo.DescribeNotAnImage(name), paramName);
        }

        if (info.Problem is { } problem)
        {
            throw Refused(slot, problem, info.Describe(name)!, paramName);
        }

        return new LocalImage(slot, content, info.Format!.Value, Hash(content));
    }

    /// <summary>A stream image's bytes, read once for all its uses (see <see cref="StreamImage"/>).</summary>
    /// <exception cref="IOException">An earlier use's read of the stream was cancelled: the stream was not read whole.</exception>
    private async Task<ReadOnlyMemory<byte>?> ReadStreamAsync(StreamImage image, CancellationToken cancellationToken)
    {
        try
        {
            return await image.ReadOnceAsync(stream => ReadBoundedAsync(stream, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException("an earlier use of this image was cancelled while its stream was read, so the stream was not read whole; give the task a new StreamImage", cancelled);
        }
    }

    /// <summary>A file's bytes, or <see langword="null"/> (known from its length, unread) when it is over the limit.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        return await ReadBoundedAsync(file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stream's bytes to its end, or <see langword="null"/> as soon as they pass the limit (read one byte beyond it at most).</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var limit = options.MaxBytes + 1;
        if (stream.CanSeek && stream.Length - stream.Position >= limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = await stream.ReadAsync(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.Length >= limit ? (ReadOnlyMemory<byte>?)null : buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>The pre-flight of a URL image: its first bytes fetched with no credential, then its header checked.</summary>
    private async Task CheckUrlAsync(ImageSlot slot, UrlImage image, string paramName, CancellationToken cancellationToken)
    {
        var name = image.DisplayName;
        byte[] start;
        try
        {
            start = await downloader.FetchStartAsync(image.Url, ProbeBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (TryOnUnexpectedContentTypeException notAnImage)
        {
            throw Refused(slot, TryOnImageProblem.NotAnImage, $"{name} is not an image: it is served as {notAnImage.ContentType ?? "no type"}", paramName, notAnImage);
        }
        catch (TryOnException unreachable)
        {
            throw Refused(slot, TryOnImageProblem.Unreachable, $"{name} could not be fetched ({WhyNot(unreachable)}), so the service could not fetch it either", paramName, unreachable);
        }

        var info = TryOnImageInfo.Identify(start);
        if (info is null)
        {
            throw Refused(slot, TryOnImageProblem.NotAnImage, TryOnImageInfo.DescribeNotAnImage(name), paramName);
        }

        if (info.Problem is { } problem)
        {
            throw Refused(slot, problem, info.Describe(name)!, paramName);
        }
    }

    /// <summary>Each distinct image once, a few at a time; on any failure, what was published is deleted and the first failure thrown.</summary>
    private async Task<Dictionary<string, (Uri Url, string Key)>> PublishAsync(IEnumerable<LocalImage> images, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var distinct = images.GroupBy(static image => image.Hash).Select(static group => group.First()).ToArray();
        var folder = NewFolder();
        // Not disposed: an upload given up on (below) may still end, and release it, after this call.
        var gate = new SemaphoreSlim(MaxConcurrentUploads);

        // A host that hangs must not hold its submit (and a bulk run's batch) for good.
        using var limit = TimeLimit.Start(options.PublishTimeout, cancellationToken, timeProvider);
        var publishToken = limit?.Token ?? cancellationToken;

        // Stopped when the first upload fails: the submit fails with it, so the others need not finish.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(publishToken);
        var uploadToken = stop.Token;
        var givenUp = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each upload's own failure, as it was thrown: a cancellation a host raised itself (its own time limit) would
        // otherwise read as one of the call's, and lose its exception to the task's Canceled status.
        var failures = new Exception?[distinct.Length];
        var uploads = distinct.Select(async (image, index) =>
        {
            await gate.WaitAsync(uploadToken).ConfigureAwait(false);
            try
            {
                var upload = new TryOnImageUpload(
                    $"{folder}/{image.Hash}.{TryOnImageInfo.ExtensionOf(image.Format)}",
                    image.Content,
                    TryOnImageInfo.ContentTypeOf(image.Format),
                    expiresAt)
                {
                    Name = image.Slot.Image.DisplayName,
                };
                return (image, upload.Key, Url: await host!.PublishAsync(upload, uploadToken).ConfigureAwait(false));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !uploadToken.IsCancellationRequested)
            {
                failures[index] = exception;
                givenUp.TrySetResult(true);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();

        // Given up on when the limit passes, or the caller cancels, even if the host does not stop when asked. Failures
        // are reported below, from the first upload that failed in task order (each upload's exception is read there).
        var all = Task.WhenAll(uploads);
        _ = all.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using (publishToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), givenUp))
        {
            await Task.WhenAny(all, givenUp.Task).ConfigureAwait(false);
        }

        if (!all.IsCompleted)
        {
            stop.Cancel();
        }

        // One look at which uploads ended: one still going now is given up on, whenever it ends.
        var ended = Array.ConvertAll(uploads, static upload => upload.IsCompleted);
        for (var i = 0; i < uploads.Length; i++)
        {
            if (!ended[i])
            {
                // An upload that ends after this call gave up on it is deleted then: no job will use it.
                _ = DeleteWhenPublishedAsync(uploads[i], expiresAt);
            }
        }

        var urls = new Dictionary<string, (Uri Url, string Key)>(StringComparer.Ordinal);
        Exception? failure = null;
        LocalImage? failed = null;
        for (var i = 0; i < uploads.Length; i++)
        {
            var upload = uploads[i];
            if (ended[i] && upload.Status == TaskStatus.RanToCompletion)
            {
                var (image, key, url) = upload.Result;
                urls[image.Hash] = (url, key);
                if (url is not { IsAbsoluteUri: true } || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    failure ??= new InvalidOperationException("The image host returned a URL that is not absolute http or https.");
                    failed ??= image;
                }
            }
            else if (failure is null)
            {
                failure = (ended[i] ? upload.Exception?.InnerException : null) ?? new OperationCanceledException(publishToken);
                failed = distinct[i];
                if (limit is not null && limit.Caused(failure))
                {
                    failure = new PublishTimeoutException(options.PublishTimeout, failure);
                }
            }
        }

        // An upload stopped because another failed is not the failure: the other one is (the first, in task order). Its
        // failure is recorded before it signals, so it counts even if its task had not completed at the look above.
        if (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < uploads.Length; i++)
            {
                if (failures[i] is { } own)
                {
                    failure = own;
                    failed = distinct[i];
                    break;
                }
            }
        }

        if (failure is null)
        {
            if (logger is not null)
            {
                Log.ImagesPublished(logger, urls.Count, host!.GetType().Name);
            }

            return urls;
        }

        if (urls.Count > 0 && options.Cleanup == TryOnImageCleanup.DeleteAfterCompletion)
        {
            var published = new PublishedImages(host!, [.. urls.Values.Select(static u => u.Key)], expiresAt);
            if (failure is PublishTimeoutException)
            {
                // A host that hung on publishing may hang on deleting too: the submit fails now, the deletes go on.
                _ = DeleteAsync(published, CancellationToken.None);
            }
            else
            {
                await DeleteAsync(published, CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            throw TryOnFailureTranslator.CancelledBeforeSending(cancellationToken, failure);
        }

        var slot = failed!.Slot;
        throw new TryOnImagePublishException(slot.TaskIndex, slot.Slot, slot.Image.DisplayName, host!.GetType().Name, failure);
    }

    /// <summary>Deletes what an upload given up on published, once it ends; nothing when it fails or cleanup is off.</summary>
    private async Task DeleteWhenPublishedAsync(Task<(LocalImage Image, string Key, Uri Url)> upload, DateTimeOffset expiresAt)
    {
        try
        {
            var (_, key, _) = await upload.ConfigureAwait(false);
            if (options.Cleanup == TryOnImageCleanup.DeleteAfterCompletion)
            {
                await DeleteAsync(new PublishedImages(host!, [key], expiresAt), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // It published nothing; its failure was reported, as the call's, or was moot.
        }
    }

    /// <summary>
    /// Keeps <paramref name="images"/> to delete when the job <paramref name="resultKey"/> is seen ended; the images of
    /// jobs whose links expired meanwhile are deleted now, in the background (failures are logged, nothing awaits them).
    /// </summary>
    private void Keep(string resultKey, PublishedImages images)
    {
        foreach (var expired in cleanups.Add(resultKey, images, timeProvider.GetUtcNow()))
        {
            _ = DeleteAsync(expired, CancellationToken.None);
        }
    }

    /// <summary>Deletes published images one by one; a failure is logged and the others still go. Cancelled, it returns the keys not deleted.</summary>
    private async Task<IReadOnlyList<string>> DeleteAsync(PublishedImages published, CancellationToken cancellationToken)
    {
        var keys = published.Keys;
        for (var k = 0; k < keys.Count; k++)
        {
            var key = keys[k];
            try
            {
                await published.Host.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return [.. keys.Skip(k)];
            }
            catch (Exception exception)
            {
                if (logger is not null)
                {
                    // The type only: a storage error's message may quote a signed URL.
                    Log.ImageNotDeleted(logger, key, exception.GetType().Name);
                }
            }
        }

        return [];
    }

    /// <summary>Why a URL could not be fetched, in words about an input image (the exception's own message is about results).</summary>
    private static string WhyNot(TryOnException failure) => failure switch
    {
        TryOnTimeoutException => "it did not answer in time",
        TryOnConnectionException => "no connection could be made",
        TryOnRedirectException => "it redirects where the client does not follow",
        TryOnDownloadTooLargeException => "it is larger than a download may be",
        { Status: { } status } => "HTTP " + status.ToString(CultureInfo.InvariantCulture),
        _ => failure.GetType().Name,
    };

    private static TryOnImageCheckException Refused(ImageSlot slot, TryOnImageProblem problem, string detail, string paramName, Exception? inner = null) =>
        new(slot.TaskIndex, slot.Slot, slot.Image.DisplayName, problem, detail, paramName, inner);

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Format(CultureInfo.InvariantCulture, "{0} MiB", bytes / (1024 * 1024))
        : string.Format(CultureInfo.InvariantCulture, "{0:N0} bytes", bytes);

    private static string Hash(ReadOnlyMemory<byte> content)
    {
        using var sha = SHA256.Create();
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? sha.ComputeHash(segment.Array!, segment.Offset, segment.Count)
            : sha.ComputeHash(content.ToArray());
        return Nonce.ToLowerHex(bytes);
    }

    /// <summary>A random folder per submit (a nonce's 128 bits): keys no one can guess, and one job's cleanup never removes another's images.</summary>
    private static string NewFolder() => Nonce.Create();

    /// <summary>
    /// Whether <paramref name="key"/> has the shape of a key this client publishes under: <c>{32 hex}/{64 hex}.{ext}</c>
    /// (a random folder, the content's SHA-256, a format's extension). A key read back from a store (a resumed bulk
    /// run's) is deleted only if it has it, so an edited store cannot have other objects of the bucket deleted.
    /// </summary>
    public static bool IsPublishedKey(string? key)
    {
        if (key is not { Length: > 32 + 1 + 64 + 1 } || key[32] != '/' || key[32 + 1 + 64] != '.')
        {
            return false;
        }

        for (var i = 0; i < 32 + 1 + 64; i++)
        {
            if (i != 32 && key[i] is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return key.Substring(32 + 1 + 64 + 1) is "jpg" or "png" or "webp" or "bmp" or "gif";
    }

    private sealed record ImageSlot(int TaskIndex, TryOnImageSlot Slot, TryOnImage Image);

    private sealed record LocalImage(ImageSlot Slot, ReadOnlyMemory<byte> Content, TryOnImageFormat Format, string Hash);
}
