using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AliTryOn.Testing.Images;

namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>The emulator's image host, and the emulator fetching and checking the images it is given as the service does.</summary>
public sealed class EmulatorImageTests : IDisposable
{
    private static readonly GarmentImage Shirt = new(new Uri("https://img.test/shirt.png"), GarmentKind.FlatLay);

    private readonly string _folder = Directory.CreateTempSubdirectory("alitryon-emulator-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_local_photo_goes_end_to_end_through_the_emulators_host_with_nothing_configured()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var client = emulator.CreateClient();
        var photo = Path.Combine(_folder, "me.png");
        await File.WriteAllBytesAsync(photo, TestImages.Png(600, 800));

        var submitted = await client.SubmitAsync(new TryOnTask(TryOnImage.FromFile(photo), Shirt));
        var sentModel = ModelImageSent(emulator);
        Assert.StartsWith(emulator.ImageHost.BaseAddress.AbsoluteUri, sentModel, StringComparison.Ordinal);
        Assert.Equal(1, emulator.ImageHost.PublishCount);
        using var storage = new HttpClient(emulator.CreateHandler());
        Assert.Equal(TestImages.Png(600, 800), await storage.GetByteArrayAsync(sentModel)); // the service could fetch it

        time.Advance(TimeSpan.FromMinutes(1));
        var done = await client.QueryAsync(submitted.ResultKey); // finished by now: a query sees it end

        Assert.True(done.Tasks.Single().Succeeded);
        // Not fetching, the emulator still names its own host's image on the card; a URL it did not fetch by its last segment.
        var card = await storage.GetByteArrayAsync(done.Tasks[0].ResultUrls[0]);
        Assert.Equal(ResultImageRenderer.Render(new ResultCard(done.ResultKey, 0, 0, $"me.png 600X800 {Kb(TestImages.Png(600, 800))}KB", "shirt.png", null, null, Quality: false)), card);
        Assert.Equal(1, emulator.ImageHost.DeleteCount);
        Assert.Empty(emulator.ImageHost.Keys);
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(sentModel)).StatusCode);
    }

    [Fact]
    public async Task A_published_link_is_refused_once_expired_or_tampered_with()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var url = await emulator.ImageHost.PublishAsync(new TryOnImageUpload(new string('a', 32) + "/" + new string('b', 64) + ".png", TestImages.Png(600, 800), "image/png", time.GetUtcNow().AddMinutes(10)));
        using var storage = new HttpClient(emulator.CreateHandler());

        Assert.Equal(HttpStatusCode.OK, (await storage.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(url.AbsoluteUri.Replace("Signature=", "Signature=0", StringComparison.Ordinal))).StatusCode);
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Forbidden, (await storage.GetAsync(url)).StatusCode);
    }

    public static TheoryData<string, Type, string> Refusals => new()
    {
        { "https://img.test/gone.png", typeof(TryOnImageUnreachableException), "23500006" },
        { "https://img.test/notes.png", typeof(TryOnInvalidImageException), "23500007" },
        { "https://img.test/small.png", typeof(TryOnInvalidImageException), "23500007" },
        { "https://img.test/photo.heic", typeof(TryOnInvalidImageException), "23500007" },
        { "ftp://img.test/me.png", typeof(TryOnImageUnreachableException), "23500006" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task An_emulator_that_fetches_images_refuses_a_submit_for_the_real_bytes_as_the_service_does(string model, Type expected, string code)
    {
        var emulator = FetchingEmulator(out _);
        var transport = emulator.CreateHandler();
        using var raw = new HttpClient(transport);

        // Raw, as another client or tool would send it: the SDK would refuse an ftp URL itself.
        var body = "{\"data\":{\"task_list\":[{\"model_image\":\"" + model + "\",\"upper_image\":{\"type\":0,\"url\":\"https://img.test/shirt.png\"}}]}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TryOnEmulator.DefaultBaseAddress, "api/v2/tryon/submit")) { Content = new StringContent(body, new MediaTypeHeaderValue("application/json")) };
        request.Headers.TryAddWithoutValidation("Authorization", "APPCODE " + TryOnEmulator.DefaultAppCode);
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", Guid.NewGuid().ToString());
        using var response = await raw.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").ToString());
        Assert.Equal(0, emulator.JobCount);
        var sdk = await Assert.ThrowsAnyAsync<TryOnException>(() => emulator.CreateClient().SubmitAsync(new TryOnTask(new Uri(model.Replace("ftp:", "https:", StringComparison.Ordinal).Replace("me.png", "gone.png", StringComparison.Ordinal)), Shirt)));
        Assert.IsType(model.StartsWith("ftp", StringComparison.Ordinal) ? typeof(TryOnImageUnreachableException) : expected, sdk);
    }

    [Fact]
    public async Task Result_cards_name_each_image_received_with_its_size()
    {
        var emulator = FetchingEmulator(out var time);
        var client = emulator.CreateClient();

        var submitted = await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"), Shirt));
        time.Advance(TimeSpan.FromMinutes(1));
        var done = await client.QueryAsync(submitted.ResultKey); // finished by now: a query sees it end
        using var storage = new HttpClient(emulator.CreateHandler());
        var card = await storage.GetByteArrayAsync(done.Tasks[0].ResultUrls[0]);

        var expected = ResultImageRenderer.Render(new ResultCard(
            done.ResultKey, 0, 0, $"me.png 600X800 {Kb(TestImages.Png(600, 800))}KB", $"shirt.png 700X900 {Kb(TestImages.Png(700, 900))}KB", null, null, Quality: false));
        Assert.Equal(expected, card);
        var withoutSizes = ResultImageRenderer.Render(new ResultCard(done.ResultKey, 0, 0, "me.png", "shirt.png", null, null, Quality: false));
        Assert.NotEqual(withoutSizes, card);
    }

    private static TryOnEmulator FetchingEmulator(out ObservedFakeTimeProvider time)
    {
        time = new ObservedFakeTimeProvider();
        return new TryOnEmulator(new TryOnEmulatorOptions
        {
            TimeProvider = time,
            FetchImages = true,
            ImageFetchHandler = new ImageServer(new Dictionary<string, byte[]>
            {
                ["/shirt.png"] = TestImages.Png(700, 900),
                ["/notes.png"] = TestImages.Text(),
                ["/small.png"] = TestImages.Png(300, 300),
                ["/photo.heic"] = TestImages.Heic(),
            }),
        });
    }

    private static string Kb(byte[] content) => Math.Max(1, (content.Length + 512) / 1024).ToString(CultureInfo.InvariantCulture);

    private static string ModelImageSent(TryOnEmulator emulator) =>
        JsonDocument.Parse(emulator.Requests.Last(r => r.Operation == TryOnEmulatorOperation.Submit).Body!).RootElement
            .GetProperty("data").GetProperty("task_list")[0].GetProperty("model_image").GetString()!;

    /// <summary>Images by path, as a storage host would serve them; anything else is 404.</summary>
    private sealed class ImageServer(IReadOnlyDictionary<string, byte[]> images) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!images.TryGetValue(request.RequestUri!.AbsolutePath, out var content))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            return Task.FromResult(response);
        }
    }
}
