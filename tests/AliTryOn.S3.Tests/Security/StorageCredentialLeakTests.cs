using AliTryOn.S3.Tests.TestSupport;
using AliTryOn.Testing.Tests.TestSupport;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AliTryOn.S3.Tests.Security;

/// <summary>
/// The storage credentials never leak, and the try-on credentials never reach the store. Sentinel keys go through a
/// publish, submit and wait against s3rver and the emulator, a store that refuses them, and invalid settings; every log
/// entry at every level, every activity, every exception (each public property of each one in the chain) and the
/// options' and host's text are scanned for them; every request the AWS SDK sends to the store is recorded.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class StorageCredentialLeakTests(S3rverFixture s3) : IDisposable
{
    private const string SecretSentinel = "SENTINEL-s3secret-4c1e9a77";

    /// <summary>An access key ID s3rver does not know: it refuses requests signed with it (403 InvalidAccessKeyId).</summary>
    private const string UnknownKeyIdSentinel = "SENTINELUNKNOWNKEY9D2";

    private const string AppCodeSentinel = "SENTINEL-appcode-s3-2b7d51";

    private readonly TelemetryCapture _capture = new();
    private readonly string _prefix = $"leak-tests/{Guid.NewGuid():N}/";

    public void Dispose() => _capture.Dispose();

    [Fact]
    public async Task Publishing_submitting_and_waiting_never_reveal_the_storage_keys_nor_send_the_store_a_tryon_credential()
    {
        var emulator = FastEmulator.Create(AppCodeSentinel);
        var store = new RecordingS3HttpClientFactory();
        var storageOptions = s3.CreateOptions(_prefix, S3rverFixture.SentinelAccessKeyId, SecretSentinel);
        using var host = S3ImageHost.Create(storageOptions, config => config.HttpClientFactory = store);
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(_capture.LoggerProvider).SetMinimumLevel(LogLevel.Trace));
        var clientOptions = FastEmulator.ClientOptions(emulator, host);
        var client = new TryOnClient(clientOptions, emulator.CreateHandler(), timeProvider: null, loggers);

        var job = await client.SubmitAsync(FastEmulator.TaskWith(Pngs.Next()));
        var done = await client.WaitForCompletionAsync(job.ResultKey);

        Assert.True(done.HasCompleted);
        Assert.Empty(await s3.ListAsync(_prefix));
        _capture.AddObject("storage options", storageOptions);
        _capture.AddObject("host", host);
        _capture.AddObject("client options", clientOptions);
        _capture.AddObject("job", done);

        // The sentinels went out where they must: the key ID in each presigned URL (SigV4 needs it; the service alone gets
        // it), the AppCode to the service. The secret went nowhere.
        var urls = FastEmulator.SubmittedImageUrls(emulator);
        Assert.Equal(2, urls.Count);
        Assert.All(urls, url => Assert.StartsWith(S3rverFixture.SentinelAccessKeyId + "/", PresignedUrl.Parse(url).Credential, StringComparison.Ordinal));
        Assert.All(urls, url => Assert.DoesNotContain(SecretSentinel, url.OriginalString, StringComparison.Ordinal));
        Assert.Contains(emulator.Requests, static r => r.CreatedJob);

        // Logs at Trace, activities and the objects' text show neither storage key (nor the AppCode, as ever).
        Assert.Contains(_capture.Logs, static log => log.Text.Contains(nameof(S3ImageHost), StringComparison.Ordinal));
        AssertNowhere(SecretSentinel);
        AssertNowhere(S3rverFixture.SentinelAccessKeyId);
        AssertNowhere(AppCodeSentinel);

        // What reached the store: the AWS SDK's SigV4 requests with the storage key, never a try-on credential.
        var sent = store.Requests;
        Assert.Contains(sent, static r => r.Method == "PUT");
        Assert.Contains(sent, static r => r.Method == "DELETE");
        foreach (var request in sent)
        {
            var text = request.ToString();
            Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={S3rverFixture.SentinelAccessKeyId}/", request.Headers["Authorization"], StringComparison.Ordinal);
            Assert.DoesNotContain(AppCodeSentinel, text, StringComparison.Ordinal);
            Assert.DoesNotContain("APPCODE", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(request.Headers.Keys, static name => name.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(SecretSentinel, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_store_that_refuses_the_keys_fails_the_submit_without_revealing_them()
    {
        var emulator = FastEmulator.Create(AppCodeSentinel);
        var storageOptions = s3.CreateOptions(_prefix, UnknownKeyIdSentinel, SecretSentinel);
        using var host = S3ImageHost.Create(storageOptions);
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(_capture.LoggerProvider).SetMinimumLevel(LogLevel.Trace));
        var client = new TryOnClient(FastEmulator.ClientOptions(emulator, host), emulator.CreateHandler(), timeProvider: null, loggers);

        var failure = await Assert.ThrowsAsync<TryOnImagePublishException>(() => client.SubmitAsync(FastEmulator.TaskWith(Pngs.Next())));

        Assert.Equal(0, emulator.JobCount);
        Assert.Equal("InvalidAccessKeyId", Assert.IsType<AmazonS3Exception>(failure.InnerException).ErrorCode);
        foreach (var text in new[] { failure.Message, failure.ToString() })
        {
            Assert.DoesNotContain(SecretSentinel, text, StringComparison.Ordinal);
            Assert.DoesNotContain(UnknownKeyIdSentinel, text, StringComparison.Ordinal);
        }

        _capture.AddException("refused upload", failure);
        AssertNowhere(SecretSentinel);
        AssertNowhere(UnknownKeyIdSentinel);
        AssertNowhere(AppCodeSentinel);
    }

    [Fact]
    public void Invalid_storage_settings_are_reported_without_the_keys()
    {
        var malformed = new[]
        {
            new S3ImageHostOptions { BucketName = "images", AccessKeyId = UnknownKeyIdSentinel + " ", SecretAccessKey = SecretSentinel + "\n" },
            new S3ImageHostOptions { BucketName = "images", AccessKeyId = UnknownKeyIdSentinel, SecretAccessKey = "paste " + SecretSentinel + " here" },
            new S3ImageHostOptions { BucketName = "images", SecretAccessKey = SecretSentinel },
        };
        foreach (var options in malformed)
        {
            var failure = Assert.Throws<ArgumentException>(() => S3ImageHost.Create(options));
            _capture.AddException("invalid options", failure);
            _capture.AddObject("invalid options", options);
        }

        var services = new ServiceCollection();
        services.AddTryOnS3ImageHost(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:BucketName"] = "images",
            ["Storage:ServiceUrl"] = $"https://{UnknownKeyIdSentinel}:{SecretSentinel}@[oss",
            ["Storage:AccessKeyId"] = UnknownKeyIdSentinel,
            ["Storage:SecretAccessKey"] = SecretSentinel + " ",
        }).Build().GetSection("Storage"));
        using var provider = services.BuildServiceProvider();
        _capture.AddException("invalid configuration", Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnImageHost>()));

        Assert.Equal(4, _capture.Entries.Count(static e => e.Kind == "exception"));
        AssertNowhere(SecretSentinel);
        AssertNowhere(UnknownKeyIdSentinel);
    }

    private void AssertNowhere(string sentinel)
    {
        var found = _capture.FindAll(sentinel);
        Assert.True(found.Count == 0, $"'{sentinel}' was found in:\n" + string.Join("\n---\n", found.Select(static e => $"{e.Kind} {e.Origin}: {e.Text}")));
    }
}
