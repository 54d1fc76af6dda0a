using System.Net;
using AliTryOn.S3.Tests.TestSupport;

namespace AliTryOn.S3.Tests.EndToEnd;

/// <summary>
/// The whole flow a user gets: a <see cref="TryOnClient"/> (on the in-memory emulator of the service) with an
/// <see cref="S3ImageHost"/> on s3rver publishes a task's local image, submits its presigned URL, and removes the
/// object once the job has ended.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class ClientPublishingTests(S3rverFixture s3)
{
    private readonly string _prefix = $"client-tests/{Guid.NewGuid():N}/";

    [Fact]
    public async Task Local_images_are_uploaded_fetched_by_the_service_while_the_job_runs_and_deleted_after_it()
    {
        var emulator = FastEmulator.Create();
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var client = new TryOnClient(FastEmulator.ClientOptions(emulator, host), emulator.CreateHandler());
        var model = Pngs.Next();
        var garment = Pngs.Next(900, 1200);

        // The emulator fetches each submitted URL with no credential and checks the bytes (else the submit fails 23500006/7).
        var job = await client.SubmitAsync(FastEmulator.TaskWith(model, garment));

        Assert.Equal(1, emulator.JobCount);
        Assert.False(job.HasCompleted);
        var urls = FastEmulator.SubmittedImageUrls(emulator);
        Assert.Equal(2, urls.Count);
        foreach (var (url, content) in urls.Zip([model, garment]))
        {
            Assert.Equal(s3.ServiceUrl.Authority, url.Authority);
            Assert.Matches($"^{_prefix}[0-9a-f]{{32}}/[0-9a-f]{{64}}\\.png$", S3rverFixture.ObjectKeyOf(url));
            using var whileRunning = await s3.Anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, whileRunning.StatusCode);
            Assert.Equal("image/png", whileRunning.Content.Headers.ContentType?.MediaType);
            Assert.Equal(content, await whileRunning.Content.ReadAsByteArrayAsync());
        }

        var done = await client.WaitForCompletionAsync(job.ResultKey);

        Assert.True(done.HasCompleted);
        Assert.False(done.HasFailures);
        Assert.Empty(await s3.ListAsync(_prefix));
        foreach (var url in urls)
        {
            using var afterwards = await s3.Anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, afterwards.StatusCode);
        }
    }

    [Fact]
    public async Task Each_distinct_local_image_of_a_job_is_one_object_and_all_go_after_it()
    {
        var emulator = FastEmulator.Create();
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var client = new TryOnClient(FastEmulator.ClientOptions(emulator, host), emulator.CreateHandler());
        var model = Pngs.Next();
        var garment = Path.Combine(Path.GetTempPath(), $"alitryon-s3-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(garment, Pngs.Next(800, 1000));
        try
        {
            // The same model bytes twice (two image objects), and one garment file in both tasks.
            TryOnTask[] tasks =
            [
                new(TryOnImage.FromBytes(model, "image/png"), Upper: new GarmentImage(TryOnImage.FromFile(garment), GarmentKind.FlatLay)),
                new(TryOnImage.FromBytes(model.ToArray(), "image/png"), Lower: new GarmentImage(TryOnImage.FromFile(garment), GarmentKind.FlatLay)),
            ];

            var job = await client.SubmitAsync(tasks);

            var urls = FastEmulator.SubmittedImageUrls(emulator);
            Assert.Equal(4, urls.Count);
            Assert.Equal(2, urls.Distinct().Count());
            Assert.Equal(2, (await s3.ListAsync(_prefix)).Count);

            await client.WaitForCompletionAsync(job.ResultKey);

            Assert.Empty(await s3.ListAsync(_prefix));
        }
        finally
        {
            File.Delete(garment);
        }
    }

    [Fact]
    public async Task With_cleanup_Keep_the_image_stays_after_the_job()
    {
        var emulator = FastEmulator.Create();
        using var host = S3ImageHost.Create(s3.CreateOptions(_prefix));
        var options = FastEmulator.ClientOptions(emulator, host);
        options.Images.Cleanup = TryOnImageCleanup.Keep;
        var client = new TryOnClient(options, emulator.CreateHandler());

        var done = await client.SubmitAndWaitAsync(FastEmulator.TaskWith(Pngs.Next()));

        Assert.True(done.HasCompleted);
        var url = FastEmulator.SubmittedImageUrls(emulator)[0];
        Assert.True(await s3.ExistsAsync(S3rverFixture.ObjectKeyOf(url)));
        // Its link expires after TryOnImageOptions.UrlLifetime (1 hour by default).
        Assert.InRange(PresignedUrl.Parse(url).Lifetime, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_store_that_refuses_the_upload_fails_the_submit_before_any_job_exists()
    {
        var emulator = FastEmulator.Create();
        var options = s3.CreateOptions(_prefix);
        options.BucketName = "no-such-bucket";
        using var host = S3ImageHost.Create(options);
        var client = new TryOnClient(FastEmulator.ClientOptions(emulator, host), emulator.CreateHandler());

        var failure = await Assert.ThrowsAsync<TryOnImagePublishException>(() => client.SubmitAsync(FastEmulator.TaskWith(Pngs.Next())));

        Assert.Equal(0, emulator.JobCount);
        Assert.True(failure.IsRetryable);
        Assert.Contains(nameof(S3ImageHost), failure.Message, StringComparison.Ordinal);
        Assert.Equal("NoSuchBucket", Assert.IsType<Amazon.S3.AmazonS3Exception>(failure.InnerException).ErrorCode);
    }
}
