using System.Net;
using AliTryOn.Tests.TestSupport;
using static AliTryOn.Tests.Downloads.StorageAnswers;

namespace AliTryOn.Tests.Downloads;

/// <summary>
/// A job's images downloaded several at once and streamed to disk: the bound on downloads in flight, memory that
/// does not grow with the image, no partial or temporary file after any failure, a failed image that does not stop
/// the others, and retries that start the file again.
/// </summary>
public sealed class ParallelDownloadTests : IDisposable
{
    /// <summary>A bound on waits for the code under test: a hang fails the test instead of blocking the run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly ObservedFakeTimeProvider _time = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alitryon-parallel-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, 4)]
    [InlineData(1, 1)]
    [InlineData(7, 7)]
    public async Task A_job_downloads_at_most_MaxConcurrency_images_at_once_and_reaches_it(int? maxConcurrency, int expected)
    {
        var job = Job(tasks: 10, resultsPerTask: 4);
        var storage = new HeldStorage();
        var options = maxConcurrency is { } bound ? new TryOnDownloadOptions { MaxConcurrency = bound } : null;

        var call = Client(storage).DownloadResultsAsync(job, _folder, options);
        await storage.ArrivedAsync(expected);
        Assert.Equal(expected, storage.InFlight);
        storage.ReleaseAll();
        var saved = await call.WaitAsync(HangGuard);

        Assert.Equal(40, saved.Count);
        Assert.Equal(expected, storage.MaxInFlight);
        Assert.Equal(40, storage.Arrived);
        Assert.Equal(40, Directory.GetFiles(_folder).Length);
    }

    [Fact]
    public async Task Only_the_successful_tasks_images_are_downloaded()
    {
        // A link on a task that did not succeed (a service that leaves one on a FAILED or running task) is no result:
        // neither fetched nor refused as a link that cannot be downloaded.
        var transport = Transport((request, _) => Ok(Image(100)));
        var job = new TryOnJob("rk", [
            new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri(Link + "/ok")]),
            new TryOnTaskResult(1, TryOnTaskStatus.Failed, [new Uri("ftp://results.storage.test/failed")]), // not checked either
            new TryOnTaskResult(2, TryOnTaskStatus.Running, [new Uri(Link + "/running")])]);

        var saved = await Client(transport).DownloadResultsAsync(job, _folder);

        Assert.Equal(0, Assert.Single(saved).TaskIndex);
        Assert.Equal(new Uri(Link + "/ok"), Assert.Single(transport.Requests).Uri);
        Assert.Equal(["rk-task0-result0.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Images_finishing_in_reverse_order_are_returned_and_named_in_job_order()
    {
        var job = Job(tasks: 2, resultsPerTask: 2);
        var storage = new HeldStorage();

        var call = Client(storage).DownloadResultsAsync(job, _folder);
        await storage.ArrivedAsync(4);
        foreach (var path in new[] { "/t1/r1", "/t1/r0", "/t0/r1", "/t0/r0" })
        {
            storage.Release(path);
        }

        var saved = await call.WaitAsync(HangGuard);

        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], saved.Select(s => (s.TaskIndex!.Value, s.ResultIndex!.Value)));
        foreach (var image in saved)
        {
            Assert.Equal(Path.Combine(_folder, $"rk-task{image.TaskIndex}-result{image.ResultIndex}.png"), image.FilePath);
            Assert.Equal(HeldStorage.ImageOf($"/t{image.TaskIndex}/r{image.ResultIndex}"), await File.ReadAllBytesAsync(image.FilePath!));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_large_image_streams_to_disk_and_the_bytes_held_in_memory_stay_bounded(bool wholeJob)
    {
        const long size = 64L * 1024 * 1024;
        var body = new LazyImage(size, onRead: null);
        body.OnRead = _ => body.RecordLag(BytesOnDisk());
        var transport = Transport((_, _) => Streamed(body, declaredLength: size));
        var options = new TryOnDownloadOptions { MaxBytes = 128L * 1024 * 1024 };
        var client = Client(transport);

        var saved = wholeJob
            ? Assert.Single(await client.DownloadResultsAsync(new TryOnJob("rk", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri(Link)])]), _folder, options))
            : await client.DownloadResultToFileAsync(new Uri(Link), Path.Combine(_folder, "big.png"), options);

        // Bytes received but not yet on disk, at every read of the body: today one chunk, and the file's own buffer.
        Assert.Equal(size, body.Delivered);
        Assert.InRange(body.MaxLag, 0, 512 * 1024);
        Assert.Equal(size, saved.Length);
        Assert.Equal(size, new FileInfo(saved.FilePath!).Length);
        Assert.True(LazyImage.Matches(saved.FilePath!, size));
        Assert.Equal([saved.FilePath!], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_connection_lost_for_good_midway_leaves_no_partial_or_temporary_file()
    {
        var transport = Transport((_, _) => Streamed(new WatchedStream(Image(300_000), breakAfter: 150_000), declaredLength: 300_000));

        var error = await Assert.ThrowsAsync<TryOnDownloadsFailedException>(() =>
            Client(transport, o => o.Retry.MaxRetries = 0).DownloadResultsAsync(OneImageJob(), _folder));

        var failure = Assert.Single(error.Failures);
        Assert.IsType<TryOnConnectionException>(failure.Exception);
        Assert.Empty(error.Saved);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task An_image_too_large_midway_leaves_no_partial_or_temporary_file()
    {
        var body = new WatchedStream(Image(2_000_000), chunk: 65536);
        var transport = Transport((_, _) => Streamed(body, declaredLength: null));

        var error = await Assert.ThrowsAsync<TryOnDownloadsFailedException>(() =>
            Client(transport).DownloadResultsAsync(OneImageJob(), _folder, new TryOnDownloadOptions { MaxBytes = 1_000_000 }));

        Assert.IsType<TryOnDownloadTooLargeException>(Assert.Single(error.Failures).Exception);
        Assert.InRange(body.BytesRead, 1_000_001, 1_100_000);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Cancelling_midway_stops_every_download_keeps_the_complete_files_and_leaves_no_partial_one()
    {
        using var cancellation = new CancellationTokenSource();
        var job = new TryOnJob("rk", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri("https://results.storage.test/done?s=1"), new Uri("https://results.storage.test/cut?s=1")])]);
        var transport = Transport((request, _) => request.Uri.AbsolutePath == "/done"
            ? Ok(Image(1000))
            : Streamed(new LazyImage(10_000_000, onRead: delivered => { if (delivered > 5_000_000) { cancellation.Cancel(); } }), declaredLength: 10_000_000));

        var call = Client(transport).DownloadResultsAsync(job, _folder, new TryOnDownloadOptions { MaxConcurrency = 1 }, cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(HangGuard));
        Assert.Equal([Path.Combine(_folder, "rk-task0-result0.png")], Directory.GetFiles(_folder));
        Assert.Equal(Image(1000), await File.ReadAllBytesAsync(Path.Combine(_folder, "rk-task0-result0.png")));
    }

    [Fact]
    public async Task Cancelling_stops_the_downloads_in_flight_and_starts_no_other()
    {
        using var cancellation = new CancellationTokenSource();
        var storage = new HeldStorage();

        var call = Client(storage).DownloadResultsAsync(Job(tasks: 10, resultsPerTask: 4), _folder, cancellationToken: cancellation.Token);
        await storage.ArrivedAsync(4);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(HangGuard));
        Assert.Equal(4, storage.Arrived);
        Assert.False(Directory.Exists(_folder) && Directory.EnumerateFileSystemEntries(_folder).Any());
    }

    [Fact]
    public async Task A_failed_image_does_not_stop_the_others_and_the_exception_carries_what_was_saved_and_each_failure()
    {
        var job = new TryOnJob("rk", [
            new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [Url("/ok-a"), Url("/missing")]),
            new TryOnTaskResult(1, TryOnTaskStatus.Failed, []),
            new TryOnTaskResult(2, TryOnTaskStatus.Succeeded, [Url("/html"), Url("/ok-b")]),
        ]);
        var transport = Transport((request, _) => request.Uri.AbsolutePath switch
        {
            "/missing" => StorageError(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist."),
            "/html" => Ok("<html>maintenance</html>"u8.ToArray(), "text/html"),
            "/ok-a" => Ok(Image(100, seed: 1), "image/png"),
            _ => Ok(Image(200, seed: 2), "image/jpeg"),
        });

        var error = await Assert.ThrowsAsync<TryOnDownloadsFailedException>(() => Client(transport).DownloadResultsAsync(job, _folder));

        Assert.Equal(
            [
                new TryOnDownloadedImage("image/png", 100, Path.Combine(_folder, "rk-task0-result0.png"), 0, 0),
                new TryOnDownloadedImage("image/jpeg", 200, Path.Combine(_folder, "rk-task2-result1.jpg"), 2, 1),
            ],
            error.Saved);
        Assert.Equal(Image(100, seed: 1), await File.ReadAllBytesAsync(error.Saved[0].FilePath!));
        Assert.Equal(Image(200, seed: 2), await File.ReadAllBytesAsync(error.Saved[1].FilePath!));
        Assert.Equal(error.Saved.Select(s => s.FilePath).Order(), Directory.GetFiles(_folder).Order());
        Assert.Equal([(0, 1), (2, 0)], error.Failures.Select(f => (f.TaskIndex, f.ResultIndex)));
        Assert.Equal(404, Assert.IsType<TryOnDownloadException>(error.Failures[0].Exception).Status);
        Assert.IsType<TryOnUnexpectedContentTypeException>(error.Failures[1].Exception);
        Assert.Same(error.Failures[0].Exception, error.InnerException);
        Assert.StartsWith($"2 of the 4 result images of job rk could not be downloaded; the other 2 were saved to {_folder}.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Task 0, result 1: The storage host has no result at https://results.storage.test/missing (HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("Task 2, result 0: The result link https://results.storage.test/html answered with content type 'text/html'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("rk", error.ResultKey);
        Assert.False(error.IsRetryable);
        Assert.Equal(4, transport.Requests.Count);
    }

    [Fact]
    public async Task A_job_with_one_transient_failure_and_one_that_is_not_is_not_retryable()
    {
        // One request each (no retries): whichever image asks first gets the 503, the other the 404.
        var transport = Transport((_, index) => index == 0
            ? StorageError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy")
            : StorageError(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist."));

        var call = Client(transport, o => o.Retry.MaxRetries = 0).DownloadResultsAsync(Job(tasks: 1, resultsPerTask: 2), _folder);
        var error = await Assert.ThrowsAsync<TryOnDownloadsFailedException>(() => call);

        Assert.Equal(2, error.Failures.Count);
        Assert.Contains(error.Failures, f => f.Exception is TryOnException { IsRetryable: true });
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task A_job_whose_failures_are_all_transient_is_retryable_and_many_failures_are_summed_up()
    {
        var transport = Transport((_, _) => StorageError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"));

        var call = Client(transport, o => o.Retry.MaxRetries = 0).DownloadResultsAsync(Job(tasks: 2, resultsPerTask: 4), _folder);
        var error = await Assert.ThrowsAsync<TryOnDownloadsFailedException>(() => call);

        Assert.Equal(8, error.Failures.Count);
        Assert.Empty(error.Saved);
        Assert.True(error.IsRetryable);
        Assert.StartsWith("8 of the 8 result images of job rk could not be downloaded. Task 0, result 0:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("And 3 more (see Failures).", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_retried_attempt_starts_the_file_again_and_it_holds_exactly_the_image(bool wholeJob)
    {
        var image = Image(400_000);
        var transport = Transport((_, index) => index == 0
            ? Streamed(new WatchedStream(image, breakAfter: 250_000, chunk: 50_000), declaredLength: 400_000)
            : Streamed(new WatchedStream(image, chunk: 50_000), declaredLength: 400_000));
        var client = Client(transport, NoTimeLimits);

        var call = wholeJob
            ? client.DownloadResultsAsync(OneImageJob(), _folder).ContinueWith(t => t.Result[0], TaskScheduler.Default)
            : client.DownloadResultToFileAsync(new Uri(Link), Path.Combine(_folder, "one.png"));
        var saved = await FakeClock.RunAsync(_time, call, TimeSpan.FromDays(1));

        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal(image, await File.ReadAllBytesAsync(saved.FilePath!));
        Assert.Equal([saved.FilePath!], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_stream_at_its_end_is_written_as_the_image_arrives_and_truncated_back_on_a_retry()
    {
        var image = Image(300_000);
        var written = new List<long>();
        using var destination = new MemoryStream();
        destination.Write("kept"u8);
        var transport = Transport((_, index) =>
        {
            written.Add(destination.Length);
            return Streamed(new WatchedStream(image, breakAfter: index == 0 ? 200_000 : null, chunk: 50_000), declaredLength: 300_000);
        });

        await FakeClock.RunAsync(_time, Client(transport, NoTimeLimits).DownloadResultAsync(new Uri(Link), destination), TimeSpan.FromDays(1));

        // The retry found the first attempt's bytes already in the stream (it streams), and took them back.
        Assert.Equal(4, written[0]);
        Assert.InRange(written[1], 4 + 150_000, 4 + 200_000);
        Assert.Equal([.. "kept"u8.ToArray(), .. image], destination.ToArray());
    }

    [Fact]
    public async Task A_stream_that_cannot_be_taken_back_receives_the_image_once_complete_and_nothing_after_a_failure()
    {
        var image = Image(300_000);
        var transport = Transport((_, index) => Streamed(new WatchedStream(image, breakAfter: index == 0 ? 200_000 : null, chunk: 50_000), declaredLength: 300_000));
        using var destination = new AppendOnlyStream();

        await FakeClock.RunAsync(_time, Client(transport, NoTimeLimits).DownloadResultAsync(new Uri(Link), destination), TimeSpan.FromDays(1));
        Assert.Equal(image, destination.Written.ToArray());

        using var second = new AppendOnlyStream();
        var failing = Transport((_, _) => Streamed(new WatchedStream(image, breakAfter: 200_000, chunk: 50_000), declaredLength: 300_000));
        await Assert.ThrowsAsync<TryOnConnectionException>(() => Client(failing, o => o.Retry.MaxRetries = 0).DownloadResultAsync(new Uri(Link), second));
        Assert.Equal(0, second.Written.Length);
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_fails_at_once_as_itself_not_as_a_lost_connection()
    {
        Directory.CreateDirectory(_folder);
        var notAFolder = Path.Combine(_folder, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        var transport = Transport((_, _) => Ok(Image(100)));

        var error = await Assert.ThrowsAnyAsync<IOException>(() => Client(transport).DownloadResultToFileAsync(new Uri(Link), Path.Combine(notAFolder, "r.png")));

        // Named by the file to be written, not by the temporary file beside it.
        Assert.StartsWith($"The result image could not be written as {Path.Combine(notAFolder, "r.png")}: ", error.Message, StringComparison.Ordinal);

        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task MaxConcurrency_out_of_range_is_refused_before_anything_is_sent()
    {
        var transport = Transport((_, _) => Ok(Image(1)));
        var client = Client(transport);

        foreach (var bound in new[] { 0, -1, 65 })
        {
            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>("options", () => client.DownloadResultsAsync(OneImageJob(), _folder, new TryOnDownloadOptions { MaxConcurrency = bound }));
            Assert.Contains("MaxConcurrency must be from 1 to 64", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(transport.Requests);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task Two_successful_tasks_with_one_index_are_refused_before_anything_is_sent_rather_than_overwrite_each_other()
    {
        // Only a job built by hand can have them; the second task's files would replace the first's.
        var transport = Transport((_, _) => Ok(Image(1)));
        var job = new TryOnJob("rk", [
            new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [Url("/a")]),
            new TryOnTaskResult(1, TryOnTaskStatus.Succeeded, [Url("/b")]),
            new TryOnTaskResult(1, TryOnTaskStatus.Succeeded, [Url("/c")])]);

        var error = await Assert.ThrowsAsync<ArgumentException>("job", () => Client(transport).DownloadResultsAsync(job, _folder));

        Assert.StartsWith("job.Tasks has two successful tasks with index 1, so their images would be saved under the same file names", error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task A_folder_that_is_a_file_is_named_in_the_error_and_nothing_is_sent()
    {
        await File.WriteAllTextAsync(_folder, "x");
        try
        {
            var transport = Transport((_, _) => Ok(Image(1)));

            var error = await Assert.ThrowsAsync<IOException>(() => Client(transport).DownloadResultsAsync(OneImageJob(), _folder));

            Assert.Equal($"The results cannot be saved to {_folder}: it is a file, not a folder.", error.Message);
            Assert.NotNull(error.InnerException);
            Assert.Empty(transport.Requests);
            Assert.Equal("x", await File.ReadAllTextAsync(_folder));
        }
        finally
        {
            File.Delete(_folder);
        }
    }

    [Fact]
    public async Task Failures_whose_messages_end_without_a_period_are_listed_as_separate_sentences()
    {
        var transport = Transport((_, _) => throw new HttpRequestException("Connection reset by peer"));

        var call = Client(transport, o => o.Retry.MaxRetries = 0).DownloadResultsAsync(Job(tasks: 1, resultsPerTask: 2), _folder, new TryOnDownloadOptions { MaxConcurrency = 1 });
        var error = await Assert.ThrowsAsync<TryOnDownloadsFailedException>(() => call);

        Assert.Equal(
            "2 of the 2 result images of job rk could not be downloaded."
            + " Task 0, result 0: The result could not be downloaded from results.storage.test, after the retries the client allows: Connection reset by peer."
            + " Task 0, result 1: The result could not be downloaded from results.storage.test, after the retries the client allows: Connection reset by peer.",
            error.Message);
    }

    private static Uri Url(string path) => new($"https://results.storage.test{path}?Signature=SECRET-signature");

    private static TryOnJob OneImageJob() => new("rk", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri(Link)])]);

    private static TryOnJob Job(int tasks, int resultsPerTask) => new(
        "rk",
        [.. Enumerable.Range(0, tasks).Select(t => new TryOnTaskResult(t, TryOnTaskStatus.Succeeded, [.. Enumerable.Range(0, resultsPerTask).Select(r => Url($"/t{t}/r{r}"))]))]);

    private static void NoTimeLimits(TryOnClientOptions options)
    {
        options.AttemptTimeout = Timeout.InfiniteTimeSpan;
        options.TotalTimeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>What is on disk in the test's folder: the temporary file being written, or the file once in place.</summary>
    private long BytesOnDisk() => Directory.Exists(_folder) ? Directory.GetFiles(_folder).Sum(f => new FileInfo(f).Length) : 0;

    private RecordingHandler Transport(Func<RecordedRequest, int, HttpResponseMessage?> respond) => new(respond) { Clock = _time };

    private TryOnClient Client(HttpMessageHandler transport, Action<TryOnClientOptions>? configure = null) =>
        new(TestOptions.Create(configure), transport, _time);

    /// <summary>
    /// A storage host that holds every request until the test releases it (all, or one by its path), and counts those
    /// in flight. Each image is a few bytes that name its path.
    /// </summary>
    private sealed class HeldStorage : HttpMessageHandler
    {
        private readonly SemaphoreSlim _arrivals = new(0);
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, TaskCompletionSource> _each = [];
        private int _inFlight;
        private int _maxInFlight;
        private int _arrived;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public int Arrived => Volatile.Read(ref _arrived);

        public static byte[] ImageOf(string path) => System.Text.Encoding.UTF8.GetBytes("image of " + path);

        /// <summary>Waits until <paramref name="count"/> more requests have arrived.</summary>
        public async Task ArrivedAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _arrivals.WaitAsync(HangGuard), $"Only {i} of {count} requests arrived.");
            }
        }

        public void ReleaseAll() => _all.TrySetResult();

        public void Release(string path) => Gate(path).TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }

            Interlocked.Increment(ref _arrived);
            _arrivals.Release();
            try
            {
                await Task.WhenAny(_all.Task, Gate(path).Task).WaitAsync(cancellationToken).ConfigureAwait(false);
                return Ok(ImageOf(path));
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private TaskCompletionSource Gate(string path)
        {
            lock (_each)
            {
                if (!_each.TryGetValue(path, out var gate))
                {
                    _each[path] = gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return gate;
            }
        }
    }

    /// <summary>
    /// An image body made as it is read, 64 KiB at most per read, never held whole: byte <c>i</c> is <c>(byte)(i * 7)</c>.
    /// Records, at each read, how far the bytes delivered run ahead of what is on disk.
    /// </summary>
    private sealed class LazyImage(long length, Action<long>? onRead) : Stream
    {
        private const int MaxChunk = 64 * 1024;
        private long _position;

        public Action<long>? OnRead { get; set; } = onRead;

        public long Delivered => _position;

        public long MaxLag { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public static bool Matches(string path, long length)
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[MaxChunk];
            long at = 0;
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (var i = 0; i < read; i++, at++)
                {
                    if (buffer[i] != (byte)(at * 7))
                    {
                        return false;
                    }
                }
            }

            return at == length;
        }

        public void RecordLag(long onDisk) => MaxLag = Math.Max(MaxLag, _position - onDisk);

        public override int Read(byte[] buffer, int offset, int count)
        {
            OnRead?.Invoke(_position);
            var n = (int)Math.Min(Math.Min(count, MaxChunk), length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = (byte)((_position + i) * 7);
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A destination that can only be appended to, as a network or pipe stream.</summary>
    private sealed class AppendOnlyStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
