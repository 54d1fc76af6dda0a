using System.Net;
using AliTryOn.S3.Tests.TestSupport;

namespace AliTryOn.S3.Tests.Hosting;

/// <summary>
/// <see cref="S3ImageHost"/> against s3rver: what it uploads, the presigned URL it returns (fetched with no credential,
/// as the service does), how long that URL works, and deletion.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ImageHostTests(S3rverFixture s3)
{
    private readonly string _prefix = $"host-tests/{Guid.NewGuid():N}/";

    [Fact]
    public async Task Publish_uploads_the_image_and_its_presigned_url_serves_it_to_anyone()
    {
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var png = Pngs.Next();
        var upload = Upload(png, "abc/def.png", TimeSpan.FromHours(1));

        var url = await host.PublishAsync(upload);

        // Path-style on the server's own scheme and host, at {KeyPrefix}{Key}, signed with SigV4.
        Assert.Equal("http", url.Scheme);
        Assert.Equal(s3.ServiceUrl.Authority, url.Authority);
        Assert.Equal(_prefix + "abc/def.png", S3rverFixture.ObjectKeyOf(url));
        var presigned = PresignedUrl.Parse(url);
        Assert.Equal("AWS4-HMAC-SHA256", presigned.Algorithm);
        Assert.StartsWith(S3rverFixture.AccessKeyId + "/", presigned.Credential, StringComparison.Ordinal);
        Assert.DoesNotContain(S3rverFixture.SecretAccessKey.ToLowerInvariant() + "&", url.Query.ToLowerInvariant(), StringComparison.Ordinal);

        using var response = await s3.Anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_url_works_until_ExpiresAt_rounded_up_to_the_second()
    {
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var expiresAt = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(90);

        var presigned = PresignedUrl.Parse(await host.PublishAsync(Upload(Pngs.Next(), "a/b.png", expiresAt)));

        // The signature counts whole seconds from its own second: never shorter than asked, at most 2 s longer.
        Assert.InRange(presigned.ExpiresAt, expiresAt, expiresAt + TimeSpan.FromSeconds(2));
        Assert.InRange(presigned.SignedAt, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_expired_url_is_refused_by_the_store()
    {
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var url = await host.PublishAsync(Upload(Pngs.Next(), "short/lived.png", TimeSpan.FromSeconds(3)));
        var presigned = PresignedUrl.Parse(url);

        using (var fresh = await s3.Anonymous.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // The store checks X-Amz-Date + X-Amz-Expires against its own clock, as S3 does. Rather than wait for that, the
        // same URL as if signed one lifetime (and a second) ago: s3rver does not check signatures, only the time.
        Assert.InRange(presigned.Lifetime, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
        var signedEarlier = (presigned.SignedAt - presigned.Lifetime - TimeSpan.FromSeconds(1)).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        url = new Uri(System.Text.RegularExpressions.Regex.Replace(url.AbsoluteUri, "X-Amz-Date=[0-9TZ]+", "X-Amz-Date=" + signedEarlier));

        using var expired = await s3.Anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("Request has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-60, "has passed")]
    [InlineData(7 * 24 * 3600 + 60, "7 days at most")]
    public async Task An_expiry_the_signature_cannot_give_is_refused_before_anything_is_uploaded(int seconds, string reason)
    {
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync(Upload(Pngs.Next(), "never/there.png", TimeSpan.FromSeconds(seconds))));

        Assert.Equal("image", refused.ParamName);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await s3.ListAsync(_prefix));
    }

    [Fact]
    public async Task A_url_of_exactly_seven_days_is_signed()
    {
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));

        var presigned = PresignedUrl.Parse(await host.PublishAsync(Upload(Pngs.Next(), "week/long.png", S3ImageHost.MaxUrlLifetime)));

        // The most a signature allows; a second or so less only if the machine paused between the two clocks' readings.
        Assert.InRange(presigned.Lifetime, TimeSpan.FromDays(7) - TimeSpan.FromSeconds(5), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_its_url_then_finds_nothing()
    {
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var url = await host.PublishAsync(Upload(Pngs.Next(), "gone/soon.png", TimeSpan.FromHours(1)));
        Assert.True(await s3.ExistsAsync(_prefix + "gone/soon.png"));

        await host.DeleteAsync("gone/soon.png");

        Assert.False(await s3.ExistsAsync(_prefix + "gone/soon.png"));
        using var response = await s3.Anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        // Deleting what is already gone (a retried cleanup) is no error.
        await host.DeleteAsync("gone/soon.png");
    }

    [Fact]
    public async Task A_host_over_your_own_client_keeps_it_open_and_uses_its_bucket_and_prefix()
    {
        using var client = s3.CreateClient(S3rverFixture.AccessKeyId, S3rverFixture.SecretAccessKey);
        // Settings that reach the store are the client's: the options' endpoint is not used (nor validated).
        var options = new S3ImageHostOptions { BucketName = S3rverFixture.BucketName, KeyPrefix = _prefix + "own/", ServiceUrl = new Uri("http://storage.invalid/") };
        var host = new S3ImageHost(client, options);

        var url = await host.PublishAsync(Upload(Pngs.Next(), "x/y.png", TimeSpan.FromHours(1)));
        host.Dispose();

        Assert.Equal(_prefix + "own/x/y.png", S3rverFixture.ObjectKeyOf(url));
        Assert.Equal(s3.ServiceUrl.Authority, url.Authority);
        // Still usable: the host did not dispose a client it was given.
        Assert.Single(await client.ListObjectsV2Async(new() { BucketName = S3rverFixture.BucketName, Prefix = _prefix + "own/" }).ContinueWith(t => t.Result.S3Objects));
    }

    [Fact]
    public async Task A_missing_bucket_fails_the_upload_with_the_stores_error()
    {
        var options = s3.CreateOptions(_prefix);
        options.BucketName = "no-such-bucket";
        using var host = S3ImageHost.Create(options);

        var refused = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => host.PublishAsync(Upload(Pngs.Next(), "a/b.png", TimeSpan.FromHours(1))));

        Assert.Equal("NoSuchBucket", refused.ErrorCode);
    }

    private static TryOnImageUpload Upload(byte[] content, string key, TimeSpan lifetime) => Upload(content, key, DateTimeOffset.UtcNow + lifetime);

    private static TryOnImageUpload Upload(byte[] content, string key, DateTimeOffset expiresAt) => new(key, content, "image/png", expiresAt);
}
