using AliTryOn.Testing;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>
/// Several instances of one app behind a load balancer: one signing key and one shared cache, a real Redis server
/// registered as the README says (<c>AddStackExchangeRedisCache</c>), each instance with a connection of its own.
/// </summary>
public sealed class SharedCacheTests
{
    [Fact]
    public async Task Two_instances_sharing_one_Redis_cache_serve_each_others_images()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartOnRedisAsync(redis, new AppServerSettings { PublicBaseUrl = new Uri("http://a.tryon.test/") });
        await using var b = await StartOnRedisAsync(redis, new AppServerSettings { PublicBaseUrl = new Uri("http://b.tryon.test/") });
        using var toA = a.CreateClient();
        using var toB = b.CreateClient();

        var (fromA, urlA) = await a.PublishAsync(variant: 1);
        var (fromB, urlB) = await b.PublishAsync(variant: 2);

        // The load balancer sends each download to the other instance.
        using (var served = await toB.GetAsync(urlA))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(fromA.Content.ToArray(), await served.Content.ReadAsByteArrayAsync());
        }

        using (var served = await toA.GetAsync(urlB))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(fromB.Content.ToArray(), await served.Content.ReadAsByteArrayAsync());
        }

        // One instance's cleanup removes the image for all, from Redis itself.
        Assert.Equal(":1", await redis.CommandAsync("EXISTS", RedisKey(fromA.Key)));
        await b.Host.DeleteAsync(fromA.Key);
        Assert.Equal(":0", await redis.CommandAsync("EXISTS", RedisKey(fromA.Key)));
        using var deleted = await toA.GetAsync(urlA);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
    }

    [Fact]
    public async Task Instance_with_another_signing_key_refuses_the_others_urls()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartOnRedisAsync(redis, new AppServerSettings());
        await using var stranger = await StartOnRedisAsync(redis, new AppServerSettings { SigningKey = "a-different-signing-key-for-the-stranger-0123456789" });
        var (_, url) = await a.PublishAsync();

        using var http = stranger.CreateClient();
        using var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Redis_itself_drops_an_image_when_its_URL_expires()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = await StartOnRedisAsync(redis, new AppServerSettings());

        var (upload, _) = await app.PublishAsync(lifetime: TimeSpan.FromMinutes(10));

        // Nothing outlives its URL in the shared cache, whichever instance published it and whether or not one deletes it.
        var left = TimeSpan.FromMilliseconds(long.Parse((await redis.CommandAsync("PTTL", RedisKey(upload.Key)))[1..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(left, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task An_image_at_the_clients_size_cap_goes_through_Redis_whole()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartOnRedisAsync(redis, new AppServerSettings());
        await using var b = await StartOnRedisAsync(redis, new AppServerSettings());
        var content = new byte[new TryOnImageOptions().MaxBytes];
        new Random(15).NextBytes(content);
        var upload = new TryOnImageUpload(AppServer.NewKey(content), content, "image/png", DateTimeOffset.UtcNow.AddHours(1));

        var url = await a.Host.PublishAsync(upload);
        using var http = b.CreateClient();
        using var served = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(content, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task With_Redis_down_a_submit_fails_before_anything_is_billed_the_images_answer_503_and_the_password_appears_nowhere()
    {
        var redis = await RedisServer.StartAsync();
        var password = redis.Password;
        await using var app = await StartOnRedisAsync(redis, new AppServerSettings());
        var (_, published) = await app.PublishAsync();
        var emulator = new TryOnEmulator();
        var client = emulator.CreateClient(options => options.ImageHost = app.Host);
        var shirt = new GarmentImage(new Uri("https://img.example/shirt.jpg"), GarmentKind.FlatLay);

        await redis.DisposeAsync();
        using var http = app.CreateClient();
        using var served = await http.GetAsync(published);
        var failure = await Assert.ThrowsAsync<TryOnImagePublishException>(
            () => client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "shopper.png"), Upper: shirt)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, served.StatusCode);
        Assert.Empty(await served.Content.ReadAsByteArrayAsync());
        Assert.Empty(emulator.Requests); // nothing submitted, nothing billed
        Assert.True(failure.IsRetryable);
        Assert.DoesNotContain(password, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, app.Host.ToString(), StringComparison.Ordinal);
        Assert.Contains(app.Logs.Entries, entry => entry.EventId.Id == 5005); // the 503, logged as the storage's failure
        Assert.All(app.Logs.Entries, entry => Assert.DoesNotContain(password, entry.Text, StringComparison.Ordinal));
    }

    /// <summary>An app whose image host keeps its images in <paramref name="redis"/>, as the README registers it.</summary>
    private static Task<AppServer> StartOnRedisAsync(RedisServer redis, AppServerSettings settings) =>
        AppServer.StartAsync(settings with
        {
            NoCache = true,
            ConfigureServices = services => services.AddStackExchangeRedisCache(options =>
            {
                options.Configuration = redis.Configuration;
                options.InstanceName = InstanceName;
            }),
        });

    private const string InstanceName = "shop:";

    /// <summary>Where the cache keeps an image in Redis: its instance name, the host's prefix, the image's key.</summary>
    private static string RedisKey(string imageKey) => InstanceName + "AliTryOn:AppImageHost:" + imageKey;
}
