using Microsoft.Extensions.Caching.Distributed;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>Several instances of one app behind a load balancer: one shared cache, one signing key.</summary>
public sealed class SharedCacheTests
{
    [Fact]
    public async Task Two_instances_sharing_one_cache_serve_each_others_images()
    {
        IDistributedCache shared = AppServer.NewMemoryCache();
        await using var a = await AppServer.StartAsync(new AppServerSettings { Cache = shared, PublicBaseUrl = new Uri("http://a.tryon.test/") });
        await using var b = await AppServer.StartAsync(new AppServerSettings { Cache = shared, PublicBaseUrl = new Uri("http://b.tryon.test/") });
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

        // One instance's cleanup removes the image for all.
        await b.Host.DeleteAsync(fromA.Key);
        using var deleted = await toA.GetAsync(urlA);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
    }

    [Fact]
    public async Task Instance_with_another_signing_key_refuses_the_others_urls()
    {
        IDistributedCache shared = AppServer.NewMemoryCache();
        await using var a = await AppServer.StartAsync(new AppServerSettings { Cache = shared });
        await using var stranger = await AppServer.StartAsync(new AppServerSettings { Cache = shared, SigningKey = "a-different-signing-key-for-the-stranger-0123456789" });
        var (_, url) = await a.PublishAsync();

        using var http = stranger.CreateClient();
        using var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
