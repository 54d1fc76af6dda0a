using System.Text.Json;
using AliTryOn.Testing;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>The whole flow: a client with the app as its image host submits a shopper's bytes to the emulator.</summary>
public sealed class EmulatorEndToEndTests
{
    private static readonly GarmentImage Shirt = new(new Uri("https://img.example/shirt.jpg"), GarmentKind.FlatLay);

    [Fact]
    public async Task Submit_sends_the_apps_urls_the_service_downloads_and_the_images_are_deleted_once_the_job_has_completed()
    {
        await using var server = await AppServer.StartAsync();
        using var network = server.CreateHandler();
        // The emulator downloads every image from the app, as the service does, and checks the bytes it gets.
        var emulatorOptions = QuickJobs();
        emulatorOptions.FetchImages = true;
        emulatorOptions.ImageFetchHandler = network;
        var emulator = new TryOnEmulator(emulatorOptions);
        var client = emulator.CreateClient(options =>
        {
            options.ImageHost = server.Host;
            options.Polling.InitialDelay = TimeSpan.FromMilliseconds(20);
            options.Polling.MaxDelay = TimeSpan.FromMilliseconds(50);
        });
        var png = TestImages.Png(600, 800);

        // The garment is local too: the emulator fetches every image of the task, and only the app serves these.
        var shirt = new GarmentImage(TryOnImage.FromBytes(TestImages.Png(640, 800), "image/png", "shirt.png"), GarmentKind.FlatLay);

        var job = await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(png, "image/png", "shopper.png"), Upper: shirt));

        var submit = Assert.Single(emulator.Requests, request => request.Operation == TryOnEmulatorOperation.Submit);
        Assert.Equal(200, submit.Status);
        Assert.Contains("http://app.tryon.test/tryon-images/", submit.Body, StringComparison.Ordinal);
        var urls = Strings(JsonDocument.Parse(submit.Body!).RootElement).Where(s => s.StartsWith("http://app.tryon.test/", StringComparison.Ordinal)).Select(s => new Uri(s)).ToArray();
        Assert.Equal(2, urls.Length);
        Assert.Equal(2, server.Logs.Entries.Count(entry => entry.EventId.Id == 5003)); // both served to the emulator
        var url = urls[0];
        using var http = server.CreateClient();
        using (var whileRunning = await http.GetAsync(url))
        {
            // What the service downloads while the job runs.
            Assert.Equal(HttpStatusCode.OK, whileRunning.StatusCode);
            Assert.Equal(png, await whileRunning.Content.ReadAsByteArrayAsync());
        }

        var done = await client.WaitForCompletionAsync(job.ResultKey);

        Assert.True(done.HasCompleted);
        foreach (var published in urls)
        {
            using var afterwards = await http.GetAsync(published);
            Assert.Equal(HttpStatusCode.NotFound, afterwards.StatusCode);
        }
    }

    [Fact]
    public async Task Client_from_dependency_injection_uses_the_registered_app_host()
    {
        await using var server = await AppServer.StartAsync(new AppServerSettings
        {
            ConfigureServices = services =>
            {
                services.AddTryOnEmulator(options =>
                {
                    options.QueueTime = TimeSpan.FromMilliseconds(50);
                    options.FastDuration = TimeSpan.FromMilliseconds(100);
                });
                services.AddTryOnEmulatorClient();
            },
        });
        Assert.Same(server.Host, server.Services.GetRequiredService<TryOnImageHost>());
        var client = server.Services.GetRequiredService<TryOnClient>();

        var job = await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), Upper: Shirt));

        var emulator = server.Services.GetRequiredService<TryOnEmulator>();
        var submit = Assert.Single(emulator.Requests, request => request.ResultKey == job.ResultKey && request.Operation == TryOnEmulatorOperation.Submit);
        Assert.Contains("http://app.tryon.test/tryon-images/", submit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_emulator_client_from_dependency_injection_uses_the_appcode_the_emulator_was_given()
    {
        var services = new ServiceCollection();
        services.AddTryOnEmulator(options =>
        {
            options.AppCodes.Clear();
            options.AppCodes.Add("my-own-emulator-code");
        });
        services.AddTryOnEmulatorClient();
        await using var provider = services.BuildServiceProvider();

        // Before, the client sent the default AppCode, which this emulator refuses (401).
        var job = await provider.GetRequiredService<TryOnClient>().SubmitAsync(new TryOnTask(new Uri("https://img.example/me.jpg"), Upper: Shirt));

        var submit = Assert.Single(provider.GetRequiredService<TryOnEmulator>().Requests);
        Assert.Equal((200, job.ResultKey), (submit.Status, submit.ResultKey));
    }

    [Fact]
    public async Task The_emulator_client_from_dependency_injection_publishes_in_memory_with_the_emulators_host_registered_as_the_readme_says()
    {
        var services = new ServiceCollection();
        services.AddTryOnEmulator();
        services.AddSingleton<TryOnImageHost>(sp => sp.GetRequiredService<TryOnEmulator>().ImageHost);
        services.AddTryOnEmulatorClient();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<TryOnClient>().SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"), Upper: Shirt));

        Assert.Equal(1, provider.GetRequiredService<TryOnEmulator>().ImageHost.PublishCount);
    }

    [Fact]
    public async Task Shoppers_upload_from_a_form_is_published_by_the_app_and_submitted()
    {
        await using var server = await StartUploadAppAsync();
        using var http = server.CreateClient();
        var png = TestImages.Png(600 + 3, 800);

        using var accepted = await http.PostAsync(new Uri(server.Address, UploadEndpoint.Path), Form(png, "image/png", "me.png"));
        using var refused = await http.PostAsync(new Uri(server.Address, UploadEndpoint.Path), Form(TestImages.Png(300, 300), "image/png", "tiny.png"));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var resultKey = JsonSerializer.Deserialize<string>(await accepted.Content.ReadAsStringAsync())!;
        var emulator = server.Services.GetRequiredService<TryOnEmulator>();
        var submit = Assert.Single(emulator.Requests, request => request.ResultKey == resultKey && request.Operation == TryOnEmulatorOperation.Submit);
        var url = new Uri(Strings(JsonDocument.Parse(submit.Body!).RootElement).Single(s => s.StartsWith("http://app.tryon.test/", StringComparison.Ordinal)));
        using var served = await http.GetAsync(url);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("tiny.png is 300 × 300 px", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(emulator.Requests, request => request.Operation == TryOnEmulatorOperation.Submit);
    }

    [Fact]
    public async Task An_upload_the_browser_could_not_type_is_taken_by_its_bytes_and_a_file_that_is_no_image_is_a_400()
    {
        await using var server = await StartUploadAppAsync();
        using var http = server.CreateClient();

        // A browser sends application/octet-stream for a file it cannot type (a HEIC photo, a name without extension).
        using var untyped = await http.PostAsync(new Uri(server.Address, UploadEndpoint.Path), Form(TestImages.Png(640, 853), "application/octet-stream", "IMG_0001"));
        using var document = await http.PostAsync(new Uri(server.Address, UploadEndpoint.Path), Form(TestImages.Text(), "application/pdf", "size-chart.pdf"));

        Assert.Equal(HttpStatusCode.OK, untyped.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, document.StatusCode);
        Assert.Contains("size-chart.pdf is not an image", await document.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(server.Services.GetRequiredService<TryOnEmulator>().Requests, request => request.Operation == TryOnEmulatorOperation.Submit);
    }

    [Fact]
    public async Task An_upload_the_apps_storage_cannot_publish_is_a_503_and_nothing_is_submitted()
    {
        await using var server = await AppServer.StartAsync(new AppServerSettings
        {
            ConfigureServices = services =>
            {
                services.AddTryOnEmulatorClient();
                services.AddSingleton<TryOnImageHost>(new DownStorage());
            },
            ConfigureApp = app => app.MapReadmeUpload(),
        });
        using var http = server.CreateClient();

        using var answer = await http.PostAsync(new Uri(server.Address, UploadEndpoint.Path), Form(TestImages.Png(640, 853), "image/png", "me.png"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Contains("could not publish me.png", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL", body, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Services.GetRequiredService<TryOnEmulator>().Requests, request => request.Operation == TryOnEmulatorOperation.Submit);
    }

    /// <summary>Storage that is down, its error quoting a credential.</summary>
    private sealed class DownStorage : TryOnImageHost
    {
        public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default) =>
            Task.FromException<Uri>(new IOException("connection refused for user SENTINEL-storage-password"));

        public override Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    /// <summary>An app with the README's upload endpoint and the emulator's client; its jobs stay queued for 30 s.</summary>
    private static Task<AppServer> StartUploadAppAsync() => AppServer.StartAsync(new AppServerSettings
    {
        ConfigureServices = services =>
        {
            services.AddTryOnEmulator(options => options.QueueTime = TimeSpan.FromSeconds(30));
            services.AddTryOnEmulatorClient();
        },
        ConfigureApp = app => app.MapReadmeUpload(),
    });

    private static MultipartFormDataContent Form(byte[] image, string contentType, string fileName)
    {
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "photo", fileName } };
    }

    private static TryOnEmulatorOptions QuickJobs() => new()
    {
        QueueTime = TimeSpan.FromMilliseconds(50),
        FastDuration = TimeSpan.FromMilliseconds(100),
        QualityDuration = TimeSpan.FromMilliseconds(100),
    };

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Strings(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
