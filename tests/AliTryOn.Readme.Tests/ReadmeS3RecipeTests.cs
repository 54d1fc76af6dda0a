using System.Text;
using System.Text.Json;
using AliTryOn.Readme.Tests.Globals;
using AliTryOn.Readme.Tests.Support;
using AliTryOn.S3;
using AliTryOn.S3.Tests.TestSupport;
using AliTryOn.Testing;

namespace AliTryOn.Readme.Tests;

/// <summary>
/// The README's S3-compatible storage recipes (<c>s3-host</c>, <c>s3-host-di</c>), run against a real S3-compatible
/// server on loopback (s3rver, with the fixture of the AliTryOn.S3 tests) and the emulator served on loopback, which
/// fetches every submitted image as the service does: a job is created only if the presigned URL really works.
/// </summary>
public sealed class ReadmeS3RecipeTests(ReadmeS3RecipeTests.Servers servers) : IClassFixture<ReadmeS3RecipeTests.Servers>
{
    [Fact]
    public async Task The_s3_host_publishes_local_files_to_the_bucket_the_job_completes_and_the_objects_are_deleted()
    {
        var (s3, service) = (servers.S3, servers.Service);
        using var folder = new ScopedFolder();
        await File.WriteAllBytesAsync("me.jpg", TestImages.Jpeg(600, 800));
        await File.WriteAllBytesAsync("shirt.png", TestImages.Png(700, 900));
        using var environment = new ScopedEnvironment(
            ("ALITRYON_ENDPOINT", service.Address.AbsoluteUri),
            ("ALITRYON_APPCODE", LoopbackEmulator.AppCode),
            ("OSS_ACCESS_KEY_ID", S3rverFixture.AccessKeyId),
            ("OSS_ACCESS_KEY_SECRET", S3rverFixture.SecretAccessKey));

        // The snippet shows Alibaba Cloud OSS; here the same code goes to s3rver on loopback. Only the store's address and
        // bucket are replaced (each must appear once, so a change to the README shows here); the region, the keys
        // (from the environment above) and everything else run as written.
        var code = ReadmeFile.Recipe("s3-host", substitutions:
        [
            ("\"https://s3.oss-cn-hangzhou.aliyuncs.com\"", Literal(s3.ServiceUrl.AbsoluteUri)),
            ("\"my-tryon-images\"", Literal(S3rverFixture.BucketName)),
        ]);
        var state = await ScriptRunner.RunAsync(code);

        var job = (TryOnJob)state.GetVariable("job").Value;
        Assert.True(job.HasCompleted);
        Assert.False(job.HasFailures);
        Assert.Equal(2, job.ResultUrls.Count); // the loopback emulator's ResultsPerTask
        var submit = Assert.Single(service.Emulator.Requests, r => r.ResultKey == job.ResultKey && r.Operation == TryOnEmulatorOperation.Submit);
        var urls = SubmittedImageUrls(submit);
        Assert.Equal(2, urls.Count);
        var keys = urls.Select(S3rverFixture.ObjectKeyOf).ToArray();
        Assert.All(urls, u => Assert.Equal(s3.ServiceUrl.Authority, u.Authority)); // on s3rver, by path (the SDK addresses an IP host so)
        Assert.Matches($"^{S3ImageHostOptions.DefaultKeyPrefix}[0-9a-f]{{32}}/[0-9a-f]{{64}}\\.jpg$", keys[0]);
        Assert.Matches($"^{S3ImageHostOptions.DefaultKeyPrefix}[0-9a-f]{{32}}/[0-9a-f]{{64}}\\.png$", keys[1]);

        // The emulator fetched both URLs (or the submit would have failed); the client deleted both once the job ended.
        var submitFolder = keys[0][..keys[0].LastIndexOf('/')];
        Assert.Empty(await s3.ListAsync(submitFolder + "/"));
    }

    [Fact]
    public async Task The_registered_s3_host_publishes_a_clients_local_image_to_the_bucket_and_the_job_is_created()
    {
        var (s3, service) = (servers.S3, servers.Service);
        var readmeSettings = ReadmeFile.Recipe("s3-host-di", "json");

        // The README's JSON alone binds to the OSS settings it shows.
        var shown = S3ImageHostOptions.FromConfiguration(Json(new ConfigurationBuilder(), readmeSettings).Build().GetSection(S3ImageHostOptions.SectionName));
        Assert.Equal(("my-tryon-images", new Uri("https://s3.oss-cn-hangzhou.aliyuncs.com"), "cn-hangzhou", false), (shown.BucketName, shown.ServiceUrl, shown.Region, shown.ForcePathStyle));

        // The app: the README's JSON, then what this machine's appsettings, user secrets or environment would say: the
        // emulator on loopback for the service, s3rver (path style, plain http on loopback) for the store.
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        Json(web.builder.Configuration, readmeSettings);
        web.builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = service.Address.AbsoluteUri,
            ["AliTryOn:AppCode"] = LoopbackEmulator.AppCode,
            ["AliTryOn:Polling:InitialDelay"] = "00:00:00.100",
            ["AliTryOn:Images:S3:BucketName"] = S3rverFixture.BucketName,
            ["AliTryOn:Images:S3:ServiceUrl"] = s3.ServiceUrl.AbsoluteUri,
            ["AliTryOn:Images:S3:ForcePathStyle"] = "true",
            ["AliTryOn:Images:S3:AccessKeyId"] = S3rverFixture.AccessKeyId,
            ["AliTryOn:Images:S3:SecretAccessKey"] = S3rverFixture.SecretAccessKey,
        });
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("s3-host-di"), web);
        await using var app = web.Build();
        await app.StartAsync(); // the options are validated at start
        try
        {
            var client = app.Services.GetRequiredService<TryOnClient>();
            var model = TestImages.Png(640, 960);
            var task = new TryOnTask(
                TryOnImage.FromBytes(model, "image/png", "me.png"),
                Upper: new GarmentImage(TryOnImage.FromBytes(TestImages.Png(800, 800), "image/png", "coat.png"), GarmentKind.FlatLay));

            var job = await client.SubmitAsync(task);

            var submit = Assert.Single(service.Emulator.Requests, r => r.ResultKey == job.ResultKey && r.Operation == TryOnEmulatorOperation.Submit);
            var keys = SubmittedImageUrls(submit).Select(S3rverFixture.ObjectKeyOf).ToArray();
            Assert.Equal(2, keys.Length);
            Assert.All(keys, k => Assert.StartsWith(S3ImageHostOptions.DefaultKeyPrefix, k, StringComparison.Ordinal));
            foreach (var key in keys)
            {
                Assert.True(await s3.ExistsAsync(key), $"{key} is not in the bucket while the job runs.");
            }

            using var stored = await s3.Admin.GetObjectAsync(S3rverFixture.BucketName, keys[0]);
            using var content = new MemoryStream();
            await stored.ResponseStream.CopyToAsync(content);
            Assert.Equal(model, content.ToArray());

            // Once the client sees the job end, the images go.
            Assert.True((await client.WaitForCompletionAsync(job.ResultKey)).HasCompleted);
            foreach (var key in keys)
            {
                Assert.False(await s3.ExistsAsync(key), $"{key} is still in the bucket after the job.");
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>A C# string literal of <paramref name="text"/> (which needs no escaping).</summary>
    private static string Literal(string text) => "\"" + text + "\"";

    private static IConfigurationBuilder Json(IConfigurationBuilder configuration, string json) =>
        configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    /// <summary>The model's and the upper garment's image URLs in the body of a submit of one task, as the service gets them.</summary>
    private static IReadOnlyList<Uri> SubmittedImageUrls(TryOnEmulatorRequest submit)
    {
        using var body = JsonDocument.Parse(submit.Body!);
        var task = Assert.Single(body.RootElement.GetProperty("data").GetProperty("task_list").EnumerateArray());
        return [new Uri(task.GetProperty("model_image").GetString()!), new Uri(task.GetProperty("upper_image").GetProperty("url").GetString()!)];
    }

    /// <summary>s3rver with its bucket, and the emulator on loopback fetching every image submitted to it, for the class.</summary>
    public sealed class Servers : IAsyncLifetime
    {
        public S3rverFixture S3 { get; } = new();

        public LoopbackEmulator Service { get; } = new(o => o.FetchImages = true);

        public async Task InitializeAsync()
        {
            await S3.InitializeAsync();
            await Service.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            await S3.DisposeAsync();
        }
    }
}
