using System.Net;
using System.Text.Json;
using AliTryOn.Tests.TestSupport;

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
        { "photo.heic", TestImages.Heic(), TryOnImageProblem.UnsupportedFormat, "tasks[0].ModelImage: photo.heic is a HEIF image; the service takes JPEG, PNG, WebP, BMP or GIF" },
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

        await client.SubmitAsync(tasks[..1]);
        Assert.NotEqual(folders[0], host.Uploads[^1].Key.Split('/')[0]); // another submit, another folder
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
    public async Task Cancelling_while_images_are_published_says_nothing_was_created()
    {
        using var cancellation = new CancellationTokenSource();
        var host = new RecordingImageHost { FailWith = _ => { cancellation.Cancel(); return new OperationCanceledException(cancellation.Token); } };
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport);

        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), UrlShirt), cancellation.Token));

        Assert.False(error.MayHaveCreatedJob);
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
            _ => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "WAITING")),
        });
        var client = new TryOnClient(TestOptions.Create(o => o.Images.CheckUrls = true), transport);
        GarmentImage Garment(string name) => new(new Uri($"https://img.example.test/{name}?token=SENTINEL-url-token"), GarmentKind.FlatLay);

        var small = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync([new TryOnTask(new Uri("https://img.example.test/fine.png"), Garment("fine.png")), new TryOnTask(new Uri("https://img.example.test/fine.png"), Garment("small.png"))]));
        Assert.Equal("tasks[1].Upper: https://img.example.test/small.png is 380 × 512 px; each side must be 400 to 4096 px", small.Message);
        var gone = await Assert.ThrowsAsync<TryOnImageCheckException>(() => client.SubmitAsync(new TryOnTask(new Uri("https://img.example.test/gone.png"), Garment("fine.png"))));
        Assert.Equal(TryOnImageProblem.Unreachable, gone.Problem);
        Assert.Equal("tasks[0].ModelImage: https://img.example.test/gone.png could not be fetched (HTTP 404), so the service could not fetch it either", gone.Message);

        Assert.DoesNotContain(transport.Requests, r => r.Uri.AbsolutePath.EndsWith("submit", StringComparison.Ordinal));
        var fetches = transport.Requests.Where(r => r.Uri.Host == "img.example.test").ToArray();
        Assert.Equal(4, fetches.Length); // fine.png once for its two slots, fine.png and small.png with their token, then gone.png
        Assert.All(fetches, f => Assert.Equal(["bytes=0-65535"], f.Header("Range")));
        Assert.All(fetches, f => Assert.Empty(f.Header("Authorization")));
        Assert.DoesNotContain("SENTINEL", small.Message + gone.Message, StringComparison.Ordinal);
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
    [InlineData("text/plain")]
    [InlineData("")]
    public void Bytes_or_a_stream_given_a_type_that_is_not_an_image_type_are_refused(string contentType)
    {
        Assert.Throws<ArgumentException>(() => TryOnImage.FromBytes(new byte[] { 1 }, contentType));
        Assert.Throws<ArgumentException>(() => TryOnImage.FromStream(new MemoryStream(), contentType));
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

    /// <summary>A stream that cannot tell its length, as an upload's request body.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
