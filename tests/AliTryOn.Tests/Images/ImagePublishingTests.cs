using System.Net;
using System.Text.Json;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.Images;

/// <summary>Local images in tasks: checked before anything costs, published once each, cleaned up after their job.</summary>
public sealed class ImagePublishingTests : IDisposable
{
    private static readonly GarmentImage UrlShirt = new(new Uri("https://img.example.test/shirt.jpg"), GarmentKind.FlatLay);

    private readonly string _folder = Directory.CreateTempSubdirectory("alitryon-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_local_image_too_small_is_refused_naming_task_slot_file_and_size_and_nothing_is_uploaded_or_sent()
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);
        var model = File("me.png", TestImages.Png(600, 800));
        TryOnTask[] tasks =
        [
            new(TryOnImage.FromFile(model), UrlShirt),
            new(TryOnImage.FromFile(model), UrlShirt),
            new(TryOnImage.FromFile(model), UrlShirt),
            new(TryOnImage.FromFile(model), new GarmentImage(TryOnImage.FromFile(File("shirt.webp", TestImages.WebP(380, 512))), GarmentKind.FlatLay)),
        ];

        var error = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(tasks));

        Assert.Equal("tasks[3].Upper: shirt.webp is 380 × 512 px; each side must be 400 to 4096 px", error.Message);
        Assert.Equal((3, TryOnImageSlot.Upper, "shirt.webp", TryOnImageProblem.Dimensions), (error.TaskIndex, error.Slot, error.ImageName, error.Problem));
        Assert.Equal("tasks[3].Upper", error.Field);
        Assert.Empty(host.Uploads); // the good model photo of tasks 0 to 2 was not uploaded either
        Assert.Empty(transport.Requests);
    }

    public static TheoryData<string, byte[]?, TryOnImageProblem, string> Problems => new()
    {
        { "missing.jpg", null, TryOnImageProblem.Unreadable, "tasks[0].ModelImage: missing.jpg cannot be read: " },
        { "notes.jpg", TestImages.Text(), TryOnImageProblem.NotAnImage, "tasks[0].ModelImage: notes.jpg is not an image (JPEG, PNG, WebP, BMP or GIF)" },
        { "photo.heic", TestImages.Heic(), TryOnImageProblem.UnsupportedFormat, "tasks[0].ModelImage: photo.heic is in HEIF format; the service takes JPEG, PNG, WebP, BMP or GIF" },
        { "huge.png", TestImages.Png(4097, 400), TryOnImageProblem.Dimensions, "tasks[0].ModelImage: huge.png is 4097 × 400 px; each side must be 400 to 4096 px" },
        { "big.png", [.. TestImages.Png(600, 800), .. new byte[60_000]], TryOnImageProblem.TooLarge, "tasks[0].ModelImage: big.png is larger than 50,000 bytes, the limit of TryOnImageOptions.MaxBytes" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task Each_problem_of_a_local_file_is_a_typed_error_naming_it_and_nothing_is_sent(string name, byte[]? content, TryOnImageProblem problem, string message)
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => { o.ImageHost = host; o.Images.MaxBytes = 50_000; }), transport);
        var path = content is null ? Path.Combine(_folder, name) : File(name, content);

        var error = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromFile(path), UrlShirt)));

        Assert.Equal(problem, error.Problem);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(host.Uploads);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_stream_over_the_size_cap_is_refused_after_reading_one_byte_past_it()
    {
        var client = new TryOnClient(TestOptions.Create(o => { o.ImageHost = new RecordingImageHost(); o.Images.MaxBytes = 1000; }), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")));
        var upload = new UnseekableStream(new byte[5000]);

        var error = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromStream(upload, "image/png", "upload.png"), UrlShirt)));

        Assert.Equal(TryOnImageProblem.TooLarge, error.Problem);
        Assert.Equal(1001, upload.Position); // one byte past the cap, not the whole stream
    }

    [Fact]
    public async Task A_local_image_without_a_host_fails_before_sending_saying_how_to_configure_one()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(
            new TryOnTask(new Uri("https://img.example.test/me.jpg"), new GarmentImage(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "coat.png"), GarmentKind.FlatLay))));

        Assert.Equal(TryOnImageProblem.NoImageHost, error.Problem);
        Assert.StartsWith("tasks[0].Upper: coat.png is a local image, and the service takes images by URL only: configure an image host", error.Message, StringComparison.Ordinal);
        Assert.Contains("TryOnClientOptions.ImageHost", error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Each_distinct_image_is_published_once_per_submit_and_the_tasks_name_its_url()
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", [.. Enumerable.Repeat("WAITING", 10)]));
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport, clock);
        var model = File("me.png", TestImages.Png(600, 800));
        var shirt = TestImages.Jpeg(800, 1000);
        // The same model file in every task; the same shirt bytes in two separate arrays; a distinct skirt.
        TryOnTask[] tasks =
        [
            .. Enumerable.Range(0, 9).Select(i => new TryOnTask(
                TryOnImage.FromFile(model),
                new GarmentImage(TryOnImage.FromBytes(shirt.ToArray(), "image/jpeg", "shirt.jpg"), GarmentKind.FlatLay))),
            new(TryOnImage.FromFile(model), Lower: new GarmentImage(TryOnImage.FromBytes(TestImages.Png(500, 700), "image/png", "skirt.png"), GarmentKind.WornByModel)),
        ];

        await client.SubmitAsync(tasks);

        Assert.Equal(3, host.Uploads.Count);
        var folders = host.Uploads.Select(u => u.Key.Split('/')[0]).Distinct().ToArray();
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(folders));
        Assert.All(host.Uploads, u => Assert.Matches("^[0-9a-f]{32}/[0-9a-f]{64}\\.(png|jpg)$", u.Key));
        Assert.Equal(["image/jpeg", "image/png", "image/png"], host.Uploads.Select(u => u.ContentType).Order());
        Assert.Equal(["me.png", "shirt.jpg", "skirt.png"], host.Uploads.Select(u => u.Name).Order());
        Assert.All(host.Uploads, u => Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(1), u.ExpiresAt));
        var modelUrl = RecordingImageHost.UrlOf(host.Uploads.Single(u => u.Name == "me.png").Key).AbsoluteUri;
        var sent = JsonDocument.Parse(transport.Requests.Single().Body!).RootElement.GetProperty("data").GetProperty("task_list");
        Assert.All(sent.EnumerateArray(), task => Assert.Equal(modelUrl, task.GetProperty("model_image").GetString()));
        var shirtUrl = RecordingImageHost.UrlOf(host.Uploads.Single(u => u.Name == "shirt.jpg").Key).AbsoluteUri;
        Assert.All(sent.EnumerateArray().Take(9), task => Assert.Equal(shirtUrl, task.GetProperty("upper_image").GetProperty("url").GetString()));
        Assert.Equal(RecordingImageHost.UrlOf(host.Uploads.Single(u => u.Name == "skirt.png").Key).AbsoluteUri, sent[9].GetProperty("lower_image").GetProperty("url").GetString());

        await client.SubmitAsync(tasks[..1]);
        Assert.NotEqual(folders[0], host.Uploads[^1].Key.Split('/')[0]); // another submit, another folder
    }

    [Fact]
    public async Task More_distinct_images_than_are_uploaded_at_once_are_all_published()
    {
        var host = new RecordingImageHost();
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", [.. Enumerable.Repeat("WAITING", 9)])));
        TryOnTask[] tasks = [.. Enumerable.Range(0, 9).Select(i => new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600 + i, 800), "image/png"), UrlShirt))];

        await client.SubmitAsync(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(9, host.Uploads.Select(u => u.Key).Distinct().Count());
    }

    [Theory]
    [InlineData(1024 * 1024, "1 MiB")]
    [InlineData(100_000, "100,000 bytes")]
    public async Task Bytes_over_the_cap_are_refused_and_bytes_at_the_cap_pass(long cap, string shown)
    {
        var host = new RecordingImageHost();
        var client = new TryOnClient(TestOptions.Create(o => { o.ImageHost = host; o.Images.MaxBytes = cap; }), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")));
        var png = TestImages.Png(600, 800);
        byte[] over = [.. png, .. new byte[cap + 1 - png.Length]];

        var error = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(over, "image/png", "big.png"), UrlShirt)));
        Assert.Equal($"tasks[0].ModelImage: big.png is larger than {shown}, the limit of TryOnImageOptions.MaxBytes", error.Message);

        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(over.AsMemory(0, (int)cap), "image/png", "fits.png"), UrlShirt));
        Assert.Single(host.Uploads);
    }

    [Fact]
    public async Task A_host_that_returns_a_url_the_service_cannot_fetch_is_a_publish_error()
    {
        var host = new FtpHost();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);

        var error = await Assert.ThrowsAsync<TryOnImagePublishException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"), UrlShirt)));

        Assert.StartsWith("The image host (FtpHost) could not publish me.png (tasks[0].ModelImage): InvalidOperationException.", error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
        Assert.Equal(1, host.Deleted);
    }

    [Fact]
    public async Task A_deletion_that_fails_is_logged_and_the_query_that_saw_the_job_end_still_answers()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var host = new ThrowingDeleteHost();
        var transport = Answers.InOrder(TimeProvider.System, Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "SUCCESS"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport, loggerFactory: factory);

        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt));
        var done = await client.QueryAsync("rk-1");

        Assert.True(done.HasCompleted);
        var logged = Assert.Single(logs.WithId(1141));
        Assert.Equal(host.Published.Single(), logged["ImageKey"]);
        Assert.Equal("IOException", logged["ErrorType"]);
        Assert.DoesNotContain("SENTINEL", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_is_read_once_from_where_it_stands_and_left_open()
    {
        var host = new RecordingImageHost();
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING", "WAITING")));
        var png = TestImages.Png(600, 800);
        var upload = new MemoryStream([.. "skip"u8, .. png]) { Position = 4 };
        var image = TryOnImage.FromStream(upload, "image/png", "upload.png");

        await client.SubmitAsync([new TryOnTask(image, UrlShirt), new TryOnTask(image, UrlShirt)]);

        Assert.Equal(png, Assert.Single(host.Uploads).Content.ToArray());
        Assert.True(upload.CanRead);
    }

    [Fact]
    public async Task A_stream_image_is_read_once_and_the_same_bytes_serve_a_check_and_every_submit_after_it()
    {
        var host = new RecordingImageHost();
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")));
        var png = TestImages.Png(600, 800);
        var shirt = new GarmentImage(TryOnImage.FromBytes(TestImages.Png(640, 800), "image/png", "shirt.png"), GarmentKind.FlatLay); // local: nothing fetched
        var task = new TryOnTask(TryOnImage.FromStream(new UnseekableStream(png), "image/png", "upload.png"), shirt);

        // The README's order: check, then submit; then the same task again (after a failed publish, say).
        Assert.Empty(await client.CheckImagesAsync([task]));
        await client.SubmitAsync(task);
        await client.SubmitAsync(task with { }); // a copy shares what was read

        // Before, the submit read what the check had left of the stream: nothing, "not an image".
        var models = host.Uploads.Where(upload => upload.Content.Length == png.Length).ToArray();
        Assert.Equal(4, host.Uploads.Count);
        Assert.Equal(2, models.Length);
        Assert.All(models, upload => Assert.Equal(png, upload.Content.ToArray()));
    }

    [Fact]
    public async Task Stream_images_of_one_stream_type_and_name_are_equal_whatever_was_read()
    {
        var stream = new UnseekableStream(TestImages.Png(600, 800));
        var first = new StreamImage(stream, "image/png", "a.png");
        var second = new StreamImage(stream, "image/png", "a.png");
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = new RecordingImageHost()), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")));

        await client.CheckImagesAsync([new TryOnTask(first, new GarmentImage(TryOnImage.FromBytes(TestImages.Png(640, 800), "image/png"), GarmentKind.FlatLay))]);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, new StreamImage(stream, "image/png", "b.png"));
        Assert.NotEqual(first, new StreamImage(new MemoryStream(), "image/png", "a.png"));
        Assert.NotEqual(first, new StreamImage(stream, "image/jpeg", "a.png"));
        Assert.False(first.Equals((StreamImage?)null));
    }

    [Fact]
    public void A_stream_image_says_what_it_is_and_refuses_a_stream_it_cannot_read()
    {
        var unnamed = new StreamImage(new MemoryStream(), "image/png");

        Assert.Equal("image stream", unnamed.DisplayName);
        Assert.Equal("StreamImage { Name = upload.png, ContentType = image/png }", new StreamImage(new MemoryStream(), "image/png", "upload.png").ToString());
        var unreadable = new MemoryStream();
        unreadable.Dispose();
        var error = Assert.Throws<ArgumentException>(() => new StreamImage(unreadable, "image/png"));
        Assert.StartsWith("The stream cannot be read.", error.Message, StringComparison.Ordinal);
        Assert.Equal("content", error.ParamName);
    }

    [Fact]
    public async Task One_stream_image_in_the_batches_of_a_bulk_run_is_read_once_and_published_whole_by_each()
    {
        var host = new RecordingImageHost();
        var submits = 0;
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(HttpStatusCode.OK, Json.Job($"rk-{Interlocked.Increment(ref submits)}", [.. Enumerable.Repeat("SUCCESS", 5)])));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);
        var png = TestImages.Png(600, 800);
        var upload = new TrickleStream(png); // a shopper's upload arriving slowly: batches would read it at once
        var photo = TryOnImage.FromStream(upload, "image/png", "shopper.png");

        var outcomes = await Bulk.BulkRunnerTests.CollectAsync(client.RunBulkAsync(
            Enumerable.Range(0, 10).Select(_ => new TryOnTask(photo, UrlShirt)), new TryOnBulkOptions { BatchSize = 5, MaxConcurrentBatches = 2 }));

        // Before, the two batches read the stream together: one failed "not an image", the other billed a cut image.
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.Succeeded, o.Status));
        Assert.Equal(2, host.Uploads.Count);
        Assert.All(host.Uploads, published => Assert.Equal(png, published.Content.ToArray()));
        Assert.Equal(1, upload.Passes); // read to its end once
    }

    [Fact]
    public async Task Published_images_are_deleted_once_the_job_is_seen_finished_and_not_before()
    {
        var host = new RecordingImageHost();
        var transport = Answers.InOrder(TimeProvider.System, Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "RUNNING"), Answers.Job("rk-1", "SUCCESS"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);

        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt));
        await client.QueryAsync("rk-1");
        Assert.Empty(host.Deleted);

        await client.QueryAsync("rk-1");
        Assert.Equal([host.Uploads.Single().Key], host.Deleted);
        await client.QueryAsync("rk-1");
        Assert.Single(host.Deleted); // once
    }

    [Fact]
    public async Task With_cleanup_off_published_images_stay()
    {
        var host = new RecordingImageHost();
        var transport = Answers.InOrder(TimeProvider.System, Answers.Job("rk-1", "WAITING"), Answers.Job("rk-1", "SUCCESS"));
        var client = new TryOnClient(TestOptions.Create(o => { o.ImageHost = host; o.Images.Cleanup = TryOnImageCleanup.Keep; }), transport);

        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt));
        await client.QueryAsync("rk-1");

        Assert.Single(host.Uploads);
        Assert.Empty(host.Deleted);
    }

    [Fact]
    public async Task A_submit_the_service_refuses_deletes_its_images_at_once_and_one_of_unknown_outcome_keeps_them()
    {
        var refusedHost = new RecordingImageHost();
        var refusing = new TryOnClient(TestOptions.Create(o => refusedHost.UseIn(o)), Answers.InOrder(TimeProvider.System, Answers.Error(HttpStatusCode.BadRequest, "23500007", "The uploaded image does not meet the requirements")));
        await Assert.ThrowsAsync<TryOnInvalidImageException>(() => refusing.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt)));
        Assert.Equal(refusedHost.Uploads.Select(u => u.Key), refusedHost.Deleted);

        var unknownHost = new RecordingImageHost();
        var failing = new TryOnClient(TestOptions.Create(o => unknownHost.UseIn(o)), Answers.InOrder(TimeProvider.System, Answers.Error(HttpStatusCode.InternalServerError, "500", "Internal error")));
        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => failing.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt)));
        Assert.Single(unknownHost.Uploads);
        Assert.Empty(unknownHost.Deleted); // a job may exist and need it
    }

    [Fact]
    public async Task A_submit_of_unknown_outcome_whose_answer_names_its_job_keeps_the_images_until_that_job_is_seen_ended()
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler((request, _) => request.Uri.ToString() == TestOptions.QueryUrl
            ? RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-u", "SUCCESS"))
            : RecordingHandler.Response(HttpStatusCode.InternalServerError, """{"code":23500011,"data":{"result_key":"rk-u","task_list":[]},"message":"Job execution failed","success":false}"""));
        var client = new TryOnClient(TestOptions.Create(host.UseIn), transport);

        var unknown = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"), UrlShirt)));
        Assert.Equal("rk-u", unknown.ResultKey);
        Assert.Empty(host.Deleted); // the job may need them

        await client.QueryAsync("rk-u");
        Assert.Equal(host.Uploads.Select(u => u.Key), host.Deleted);
    }

    [Fact]
    public async Task A_host_that_fails_an_upload_is_a_publish_error_nothing_is_sent_and_what_was_published_is_deleted()
    {
        var host = new RecordingImageHost { FailWith = u => u.Name == "coat.png" ? new IOException("storage says no to SENTINEL-storage-secret") : null };
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);

        var error = await Assert.ThrowsAsync<TryOnImagePublishException>(() => client.SubmitAsync(new TryOnTask(
            TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"),
            new GarmentImage(TryOnImage.FromBytes(TestImages.Png(700, 800), "image/png", "coat.png"), GarmentKind.FlatLay))));

        Assert.StartsWith("The image host (RecordingImageHost) could not publish coat.png (tasks[0].Upper): IOException. No job was created, so it is safe to submit again.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRetryable);
        Assert.Empty(transport.Requests);
        Assert.Equal(host.Uploads.Where(u => u.Name == "me.png").Select(u => u.Key), host.Deleted);
    }

    [Fact]
    public async Task A_host_that_hangs_is_given_up_at_the_publish_timeout_on_the_clients_clock_and_nothing_is_sent()
    {
        var host = new HangingImageHost("coat.png");
        var (time, transport, submit) = SubmitMeAndCoat(host);
        await FakeClock.SettleAsync(submit, () => host.Published.Count == 1 && host.Hanging && time.HasTimerDueWithin(TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(submit.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TryOnImagePublishException>(() => submit);
        Assert.Equal(
            "The image host (HangingImageHost) could not publish coat.png (tasks[0].Upper): it did not finish publishing within 00:00:30 (TryOnImageOptions.PublishTimeout; Images:PublishTimeout in configuration), and the uploads still going were cancelled. No job was created, so it is safe to submit again.",
            error.Message);
        Assert.IsAssignableFrom<TimeoutException>(error.InnerException);
        await FakeClock.SettleAsync(new TaskCompletionSource().Task, () => host.Cancelled); // noticed on a thread of its own
        Assert.True(host.Cancelled); // the hanging upload was told to stop
        Assert.Equal(host.Published, host.Deleted); // me.png, published, goes again
        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_host_that_ignores_cancellation_or_hangs_on_deletes_too_still_frees_the_submit_at_the_limit(bool deaf)
    {
        // The third reader's cases: waiting for every upload to stop, or for the cleanup's deletes, held the submit.
        var host = new HangingImageHost("coat.png") { Deaf = deaf, HangOnDeletes = !deaf };
        var (time, transport, submit) = SubmitMeAndCoat(host);
        await FakeClock.SettleAsync(submit, () => host.Published.Count == 1 && host.Hanging && time.HasTimerDueWithin(TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<TryOnImagePublishException>(() => submit.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("did not finish publishing within 00:00:30", error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
        Assert.Contains(host.Published[0], host.Deleted); // me.png's delete was asked for (and may hang)
        if (deaf)
        {
            // The upload given up on ends later, published: it is deleted then, as no job will use it.
            host.LetGo();
            await FakeClock.SettleAsync(Task.Delay(Timeout.Infinite), () => host.Deleted.Count == 2);
            Assert.Equal(host.Published.Order(), host.Deleted.Order());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a storage client's own time limit: a cancellation, but not one the call asked for
    public async Task An_upload_that_fails_stops_the_others_at_once_and_is_the_one_reported(bool asItsOwnTimeout)
    {
        // Before, a hard failure of one image waited behind a hung upload for the whole PublishTimeout. The hung one
        // comes first in task order; the failure reported is still the real one.
        var host = new HangingImageHost("me.png") { FailOn = "coat.png", FailsAsItsOwnTimeout = asItsOwnTimeout };
        var (_, transport, submit) = SubmitMeAndCoat(host);

        var error = await Assert.ThrowsAsync<TryOnImagePublishException>(() => submit.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.StartsWith($"The image host (HangingImageHost) could not publish coat.png (tasks[0].Upper): {(asItsOwnTimeout ? "TaskCanceledException" : "IOException")}.", error.Message, StringComparison.Ordinal);
        Assert.IsType(asItsOwnTimeout ? typeof(TaskCanceledException) : typeof(IOException), error.InnerException);
        // me.png's upload was told to stop, with no time passed on the clock; it notices on a thread of its own, as the
        // submit does not wait for it (a host may not stop at all).
        await FakeClock.SettleAsync(new TaskCompletionSource().Task, () => host.Cancelled);
        Assert.True(host.Cancelled);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task With_cleanup_off_a_refused_submit_or_a_failed_upload_leaves_what_was_published()
    {
        var refusedHost = new RecordingImageHost();
        var refusing = new TryOnClient(TestOptions.Create(o => { refusedHost.UseIn(o); o.Images.Cleanup = TryOnImageCleanup.Keep; }), Answers.InOrder(TimeProvider.System, Answers.Error(HttpStatusCode.BadRequest, "23500007", "The uploaded image does not meet the requirements")));
        await Assert.ThrowsAsync<TryOnInvalidImageException>(() => refusing.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt)));

        var failingHost = new RecordingImageHost { FailWith = u => u.Name == "coat.png" ? new IOException("no") : null };
        var failing = new TryOnClient(TestOptions.Create(o => { o.ImageHost = failingHost; o.Images.Cleanup = TryOnImageCleanup.Keep; }), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")));
        await Assert.ThrowsAsync<TryOnImagePublishException>(() => failing.SubmitAsync(new TryOnTask(
            TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"),
            new GarmentImage(TryOnImage.FromBytes(TestImages.Png(700, 800), "image/png", "coat.png"), GarmentKind.FlatLay))));

        Assert.Single(refusedHost.Uploads);
        Assert.Empty(refusedHost.Deleted);
        Assert.Equal(2, failingHost.Uploads.Count);
        Assert.Empty(failingHost.Deleted);
    }

    [Fact]
    public async Task A_submit_cancelled_before_its_stream_is_read_says_nothing_was_created_and_publishes_nothing()
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromStream(new UnseekableStream(TestImages.Png(600, 800)), "image/png"), UrlShirt), cancellation.Token));

        Assert.False(error.MayHaveCreatedJob);
        Assert.Empty(host.Uploads);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_while_images_are_published_says_nothing_was_created()
    {
        using var cancellation = new CancellationTokenSource();
        var host = new RecordingImageHost { FailWith = _ => { cancellation.Cancel(); return new OperationCanceledException(cancellation.Token); } };
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);

        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt), cancellation.Token));

        Assert.False(error.MayHaveCreatedJob);
        Assert.IsType<OperationCanceledException>(error.InnerException); // the host's own, wrapped once
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Checking_urls_fetches_their_first_bytes_without_credentials_and_refuses_an_undersized_or_unreachable_image()
    {
        var transport = new RecordingHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/small.png" => Image(TestImages.Png(380, 512)),
            "/fine.png" => Image(TestImages.Png(600, 800)),
            "/gone.png" => RecordingHandler.Response(HttpStatusCode.NotFound, "<Error>NoSuchKey</Error>", "application/xml"),
            "/page.png" => RecordingHandler.Response(HttpStatusCode.OK, "<html>moved</html>", "text/html"),
            "/fake.png" => RecordingHandler.Response(HttpStatusCode.OK, "not really a picture", "image/png"),
            "/empty.png" => RecordingHandler.Response(HttpStatusCode.OK, string.Empty, "image/png"),
            "/down.png" => throw new HttpRequestException("connection refused", null, HttpStatusCode.ServiceUnavailable),
            _ => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "WAITING")),
        });
        var client = new TryOnClient(TestOptions.Create(o => o.Images.CheckUrls = true), transport);
        GarmentImage Garment(string name) => new(new Uri($"https://img.example.test/{name}?token=SENTINEL-url-token"), GarmentKind.FlatLay);

        var small = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync([new TryOnTask(new Uri("https://img.example.test/fine.png"), Garment("fine.png")), new TryOnTask(new Uri("https://img.example.test/fine.png"), Garment("small.png"))]));
        Assert.Equal("tasks[1].Upper: https://img.example.test/small.png is 380 × 512 px; each side must be 400 to 4096 px", small.Message);
        var gone = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/gone.png"), Garment("fine.png"))));
        Assert.Equal(TryOnImageProblem.Unreachable, gone.Problem);
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/gone.png could not be fetched (HTTP 404), so the service could not fetch it either", gone.Message);

        var page = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/page.png"), Garment("fine.png"))));
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/page.png is not an image: it is served as text/html", page.Message);
        var fake = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/fake.png"), Garment("fine.png"))));
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/fake.png is not an image (JPEG, PNG, WebP, BMP or GIF)", fake.Message);
        var empty = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/empty.png"), Garment("fine.png"))));
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/empty.png is not an image (JPEG, PNG, WebP, BMP or GIF)", empty.Message);
        Assert.Equal(TryOnImageProblem.NotAnImage, empty.Problem);
        var down = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/down.png"), Garment("fine.png"))));
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/down.png could not be fetched (no connection could be made), so the service could not fetch it either", down.Message);
        Assert.Equal([TryOnImageProblem.NotAnImage, TryOnImageProblem.NotAnImage, TryOnImageProblem.Unreachable], new[] { page.Problem, fake.Problem, down.Problem });

        Assert.DoesNotContain(transport.Requests, r => r.Uri.AbsolutePath.EndsWith("submit", StringComparison.Ordinal));
        var fetches = transport.Requests.Where(r => r.Uri.Host == "img.example.test" && !r.Uri.AbsolutePath.StartsWith("/down", StringComparison.Ordinal) && !r.Uri.AbsolutePath.StartsWith("/page", StringComparison.Ordinal) && !r.Uri.AbsolutePath.StartsWith("/fake", StringComparison.Ordinal) && !r.Uri.AbsolutePath.StartsWith("/empty", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, fetches.Length); // fine.png once for its two slots, fine.png and small.png with their token, then gone.png
        Assert.All(fetches, f => Assert.Equal(["bytes=0-65535"], f.Header("Range")));
        Assert.All(fetches, f => Assert.Empty(f.Header("Authorization")));
        Assert.DoesNotContain("SENTINEL", small.Message + gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_image_probe_takes_a_partial_answer_as_its_start_and_no_content_as_unreachable()
    {
        // A ranged probe is answered 206 by S3 and CDNs; a 204 is no image, however the host means it.
        var png = TestImages.Png(600, 800);
        var transport = new RecordingHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/partial.png" => Partial(png),
            "/none.png" => new HttpResponseMessage(HttpStatusCode.NoContent),
            _ => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "WAITING")),
        });
        var client = new TryOnClient(TestOptions.Create(o => o.Images.CheckUrls = true), transport);
        var shirt = new GarmentImage(new Uri("https://img.example.test/partial.png"), GarmentKind.FlatLay);

        var job = await client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/partial.png"), shirt));
        var none = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/none.png"), shirt)));

        Assert.Equal("rk", job.ResultKey);
        Assert.Equal(TryOnImageProblem.Unreachable, none.Problem);
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/none.png could not be fetched (HTTP 204), so the service could not fetch it either", none.Message);
        Assert.Single(transport.Requests, r => r.Uri.AbsolutePath.EndsWith("submit", StringComparison.Ordinal));

        static HttpResponseMessage Partial(byte[] png)
        {
            var response = Image(png);
            response.StatusCode = HttpStatusCode.PartialContent;
            response.Content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(0, png.Length - 1, png.Length);
            return response;
        }
    }

    [Fact]
    public async Task CheckImagesAsync_reports_every_problem_of_every_task_and_publishes_and_sends_nothing()
    {
        var host = new RecordingImageHost();
        var transport = new RecordingHandler((request, _) => request.Uri.AbsolutePath == "/small.png" ? Image(TestImages.Png(300, 300)) : Image(TestImages.Png(600, 800)));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);
        var tiny = File("tiny.png", TestImages.Png(100, 100));
        TryOnTask[] tasks =
        [
            .. Enumerable.Range(0, 12).Select(_ => new TryOnTask(new Uri("https://img.example.test/fine.png"), UrlShirt)),
            new(TryOnImage.FromFile(tiny), UrlShirt),
            new(new Uri("https://img.example.test/small.png"), new GarmentImage(TryOnImage.FromFile(tiny), GarmentKind.FlatLay)),
        ];

        var problems = await client.CheckImagesAsync(tasks);

        Assert.Equal(
            ["tasks[12].ModelImage: tiny.png is 100 × 100 px; each side must be 400 to 4096 px", "tasks[13].ModelImage: https://img.example.test/small.png is 300 × 300 px; each side must be 400 to 4096 px", "tasks[13].Upper: tiny.png is 100 × 100 px; each side must be 400 to 4096 px"],
            problems.Select(p => p.Message));
        Assert.Empty(host.Uploads);
        Assert.DoesNotContain(transport.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal(3, transport.Requests.Count); // fine.png, shirt.jpg and small.png, each once
    }

    [Fact]
    public async Task CheckImagesAsync_without_a_host_reports_each_local_image_and_reads_none()
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler((_, _) => Image(TestImages.Png(600, 800))));

        var problems = await client.CheckImagesAsync([new TryOnTask(TryOnImage.FromFile(Path.Combine(_folder, "nowhere.png")), new GarmentImage(TryOnImage.FromBytes(TestImages.Png(10, 10), "image/png", "tiny.png"), GarmentKind.FlatLay))]);

        Assert.Equal([(TryOnImageSlot.ModelImage, TryOnImageProblem.NoImageHost), (TryOnImageSlot.Upper, TryOnImageProblem.NoImageHost)], problems.Select(p => (p.Slot, p.Problem)));
    }

    [Fact]
    public void Only_url_images_have_a_json_form_so_json_can_never_name_a_local_file()
    {
        var local = new TryOnTask(TryOnImage.FromFile("/etc/passwd"), UrlShirt);

        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(local, web));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TryOnTask>("""{"modelImage":{"file":"/etc/passwd"},"upper":{"image":"https://img.example.test/a.jpg","kind":"FlatLay"}}""", web));
        var read = JsonSerializer.Deserialize<TryOnTask>("""{"modelImage":"/etc/passwd","upper":{"image":"https://img.example.test/a.jpg","kind":"FlatLay"}}""", web)!;
        Assert.IsType<UrlImage>(read.ModelImage); // a relative URL, which the client refuses, never a file
    }

    [Fact]
    public void An_image_url_shows_without_its_query_and_bytes_show_without_their_content()
    {
        var url = new UrlImage(new Uri("https://bucket.example.test/me.jpg?X-Amz-Signature=SENTINEL-signature"));
        var bytes = TryOnImage.FromBytes(new byte[] { 1, 2, 3 }, "image/png", "upload.png");

        Assert.Equal("UrlImage { Url = https://bucket.example.test/me.jpg }", url.ToString());
        Assert.DoesNotContain("SENTINEL", new TryOnTask(url, UrlShirt).ToString(), StringComparison.Ordinal);
        Assert.Equal("BytesImage { Name = upload.png, ContentType = image/png, Length = 3 }", bytes.ToString());
    }

    [Theory]
    [InlineData("application/octet-stream")] // what a browser sends for a file it cannot type
    [InlineData("text/plain")]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_upload_of_any_declared_type_is_published_as_what_its_bytes_are_and_content_that_is_no_image_is_refused_at_the_submit(string? declared)
    {
        var host = new RecordingImageHost();
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING")));

        await client.SubmitAsync(new TryOnTask(TryOnImage.FromStream(new MemoryStream(TestImages.Png(600, 800)), declared, "IMG_0001"), UrlShirt));
        var notAnImage = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Text(), declared, "notes.pdf"), UrlShirt)));

        Assert.Equal("image/png", Assert.Single(host.Uploads).ContentType);
        Assert.Equal(TryOnImageProblem.NotAnImage, notAnImage.Problem);
        Assert.StartsWith("tasks[0].ModelImage: notes.pdf is not an image", notAnImage.Message, StringComparison.Ordinal);
        Assert.Equal(string.IsNullOrEmpty(declared) ? "application/octet-stream" : declared, ((BytesImage)TryOnImage.FromBytes(TestImages.Png(600, 800), declared)).ContentType);
    }

    private static HttpResponseMessage Image(byte[] content)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        return response;
    }

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A host that hands out a URL the service could not fetch, and counts deletions.</summary>
    private sealed class FtpHost : TryOnImageHost
    {
        public int Deleted { get; private set; }

        public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default) => Task.FromResult(new Uri("ftp://files.example.test/" + image.Key));

        public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            Deleted++;
            return Task.CompletedTask;
        }
    }

    /// <summary>A host whose deletions fail, with a message that must not be logged.</summary>
    private sealed class ThrowingDeleteHost : TryOnImageHost
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _published = new();

        public IReadOnlyList<string> Published => [.. _published];

        public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
        {
            _published.Enqueue(image.Key);
            return Task.FromResult(RecordingImageHost.UrlOf(image.Key));
        }

        public override Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
            Task.FromException(new IOException("https://bucket.example.test/x?X-Amz-Signature=SENTINEL-signature refused"));
    }

    /// <summary>A stream that cannot tell its length, as an upload's request body.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A stream that cannot seek and gives at most 200 bytes a read, yielding first: an upload arriving slowly.</summary>
    private sealed class TrickleStream(byte[] content) : MemoryStream(content)
    {
        /// <summary>How many times a read found the end.</summary>
        public int Passes { get; private set; }

        public override bool CanSeek => false;

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await Task.Yield();
            var read = Read(buffer, offset, Math.Min(count, 200));
            Passes += read == 0 ? 1 : 0;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(ReadAsync(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(buffer, out var array) ? array.Array! : throw new NotSupportedException(), array.Offset, array.Count, cancellationToken));
    }

    /// <summary>
    /// A submit of me.png (the model) and coat.png (a top) through <paramref name="host"/>, on a fake clock, with a publish
    /// time limit of 30 s; the transport answers a job the submit never reaches in these tests.
    /// </summary>
    private static (ObservedFakeTimeProvider Time, RecordingHandler Transport, Task<TryOnJob> Submit) SubmitMeAndCoat(TryOnImageHost host)
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => { o.ImageHost = host; o.Images.PublishTimeout = TimeSpan.FromSeconds(30); }), transport, time);
        var submit = client.SubmitAsync(new TryOnTask(
            TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"),
            new GarmentImage(TryOnImage.FromBytes(TestImages.Png(700, 800), "image/png", "coat.png"), GarmentKind.FlatLay)));
        return (time, transport, submit);
    }
}
