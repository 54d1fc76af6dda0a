using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>What a published image's URL answers over real Kestrel: the image, and nothing once it is gone.</summary>
public sealed class ServingTests
{
    [Fact]
    public async Task Published_image_is_served_with_its_bytes_type_and_headers()
    {
        await using var server = await AppServer.StartAsync();
        var png = TestImages.Png(600, 800);
        var upload = AppServer.NewUpload(png, DateTimeOffset.UtcNow.AddHours(1));

        var url = await server.Host.PublishAsync(upload);

        Assert.StartsWith($"http://app.tryon.test/tryon-images/{upload.Key}?expires=", url.ToString(), StringComparison.Ordinal);
        using var http = server.CreateClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.InRange(response.Headers.CacheControl.MaxAge!.Value.TotalSeconds, 3590, 3601);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(png.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        using var post = await http.PostAsync(url, new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Url_is_the_documented_scheme_signed_with_HMAC_SHA256_over_key_and_expiry()
    {
        const string signingKey = "url-scheme-test-key-that-is-long-enough-0123456789";
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var host = new AppImageHost(
            new AppImageHostOptions { PublicBaseUrl = new Uri("https://shop.example.test/store/"), SigningKey = signingKey, Path = "/media/try-on" },
            AppServer.NewMemoryCache(),
            time);
        var png = TestImages.Png(600, 800);
        // Half a second into a second: the expiry in the URL is rounded up, so the URL works at least as long as asked.
        var expiresAt = new DateTimeOffset(2030, 1, 2, 4, 4, 5, TimeSpan.Zero).AddMilliseconds(500);
        var upload = AppServer.NewUpload(png, expiresAt);

        var url = await host.PublishAsync(upload);

        var expires = expiresAt.AddMilliseconds(500).ToUnixTimeSeconds();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(signingKey),
                Encoding.UTF8.GetBytes($"AliTryOn.AppImageHost.v1\n{upload.Key}\n{expires}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(43, expected.Length);
        Assert.Equal($"https://shop.example.test/store/media/try-on/{upload.Key}?expires={expires}&sig={expected}", url.AbsoluteUri);
    }

    [Fact]
    public async Task Url_expires_on_the_apps_TimeProvider()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AppServer.StartAsync(new AppServerSettings { Time = time });
        var (_, url) = await server.PublishAsync(lifetime: TimeSpan.FromMinutes(10));
        using var http = server.CreateClient();

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        using (var stillValid = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
            Assert.InRange(stillValid.Headers.CacheControl!.MaxAge!.Value.TotalSeconds, 0, 1);
        }

        time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Empty(await expired.Content.ReadAsByteArrayAsync());
        Assert.True(expired.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Deleted_image_is_not_found()
    {
        await using var server = await AppServer.StartAsync();
        var (upload, url) = await server.PublishAsync();
        using var http = server.CreateClient();
        using (var before = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await server.Host.DeleteAsync(upload.Key);

        using var after = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Empty(await after.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Unknown_key_with_a_valid_signature_is_not_found()
    {
        await using var server = await AppServer.StartAsync();
        var key = AppServer.NewKey(TestImages.Png(600 + 7, 800));
        using var http = server.CreateClient();

        using var response = await http.GetAsync(server.SignedUrl(key, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Endpoint_is_anonymous_under_a_fallback_policy_requiring_a_user()
    {
        await using var server = await AppServer.StartAsync(new AppServerSettings
        {
            // Every endpoint requires a signed-in user unless it allows anonymous access.
            ConfigureServices = services => services.AddAuthorization(options =>
                options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()),
            ConfigureApp = app => app.UseAuthorization(),
        });
        var (_, url) = await server.PublishAsync();

        using var http = server.CreateClient();
        using var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_builder_takes_conventions_such_as_RequireHost()
    {
        await using var server = await AppServer.StartAsync(new AppServerSettings
        {
            ConfigureEndpoint = endpoint => endpoint.RequireHost("app.tryon.test"),
        });
        var (_, url) = await server.PublishAsync();

        var ownHost = await RawHttp.SendAsync(server.Address, url.PathAndQuery, host: "app.tryon.test");
        var otherHost = await RawHttp.SendAsync(server.Address, url.PathAndQuery, host: "elsewhere.test");

        Assert.Equal(200, ownHost.Status);
        Assert.Equal(404, otherHost.Status);
    }
}
