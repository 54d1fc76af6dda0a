using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Testing.Tests.Downloads;

/// <summary>
/// Result downloads against the in-memory emulator, which plays the storage host too: its results are real PNGs behind
/// signed, expiring links, and it refuses any request carrying the AppCode or a gateway header.
/// </summary>
public sealed class EmulatorDownloadTests : IDisposable
{
    private static readonly TryOnTask[] Tasks =
    [
        new(new Uri("https://img.test/model.png"), Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay)),
        new(new Uri("https://img.test/model.png"), FullBody: new GarmentImage(new Uri("https://img.test/dress.png"), GarmentKind.WornByModel)),
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alitryon-emulator-downloads-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_result_of_a_job_is_saved_as_a_png_and_no_credential_reaches_the_storage_host()
    {
        var time = new FakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var client = emulator.CreateClient();
        var submitted = await client.SubmitAsync(Tasks);
        time.Advance(TimeSpan.FromMinutes(1));
        var job = await client.QueryAsync(submitted.ResultKey);

        var saved = await client.DownloadResultsAsync(job, _folder);

        Assert.Equal(8, saved.Count);
        DownloadAssertions.SavedAsPngs(job, saved, _folder);
        DownloadAssertions.NoCredentialReachedTheStorageHost(emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.DownloadResult), expected: 8);
        var serviceCalls = emulator.Requests.Where(r => r.Operation != TryOnEmulatorOperation.DownloadResult).ToArray();
        Assert.Equal([TryOnEmulatorOperation.Submit, TryOnEmulatorOperation.Query], serviceCalls.Select(r => r.Operation));
        Assert.All(serviceCalls, r => Assert.StartsWith("APPCODE ", r.Headers["Authorization"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_link_is_a_typed_error_and_querying_the_job_again_gives_fresh_links()
    {
        var time = new FakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time, ResultUrlLifetime = TimeSpan.FromMinutes(30) });
        var client = emulator.CreateClient();
        var submitted = await client.SubmitAsync(Tasks[0]);
        time.Advance(TimeSpan.FromMinutes(1));
        var job = await client.QueryAsync(submitted.ResultKey);
        var queriedAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(31));

        using var destination = new MemoryStream();
        var error = await Assert.ThrowsAsync<TryOnResultExpiredException>(() => client.DownloadResultAsync(job.ResultUrls[0], destination));

        Assert.Equal(queriedAt.AddMinutes(30).ToUnixTimeSeconds(), error.ExpiresAt!.Value.ToUnixTimeSeconds());
        Assert.Contains("AccessDenied: Request has expired.", error.Message, StringComparison.Ordinal);
        Assert.Contains("which has passed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.Length);
        Assert.Single(emulator.Requests, r => r.Operation == TryOnEmulatorOperation.DownloadResult); // not retried

        var fresh = await client.QueryAsync(submitted.ResultKey);
        var image = await client.DownloadResultAsync(fresh.ResultUrls[0], destination);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal(image.Length, destination.Length);
    }

    [Fact]
    public async Task Storage_errors_and_dropped_connections_are_retried_like_queries()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        // No time limits: the file is written on the thread pool while the clock steps through the backoffs, and an
        // attempt's limit could pass in fake time while a busy machine has not yet run that write.
        var client = emulator.CreateClient(o =>
        {
            o.Retry.MaxRetries = 4;
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        });
        var submitted = await client.SubmitAsync(Tasks[0]);
        time.Advance(TimeSpan.FromMinutes(1));
        var job = await client.QueryAsync(submitted.ResultKey);
        emulator.Faults.Add(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.HtmlError(503), times: 2);
        emulator.Faults.Add(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.DroppedConnection());
        emulator.Faults.Add(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.DroppedConnection(afterProcessing: true));
        var progress = new List<TryOnDownloadProgress>();

        var path = Path.Combine(_folder, "first.png");
        var image = await FakeClock.RunAsync(
            time,
            client.DownloadResultToFileAsync(job.ResultUrls[0], path, new TryOnDownloadOptions { Progress = new SyncProgress(progress) }),
            TimeSpan.FromMinutes(5));

        DownloadAssertions.SavedAsPng(image, path);
        Assert.Equal(image.Length, progress[^1].BytesReceived);
        var downloads = emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.DownloadResult).ToArray();
        Assert.Equal(5, downloads.Length);
        Assert.Equal([503, 503, 0, 0, 200], downloads.Select(r => r.Status));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task With_dependency_injection_downloads_skip_authentication_even_when_an_app_wide_handler_adds_credentials()
    {
        var time = new FakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.ConfigureHttpClientDefaults(b => b
            .AddHttpMessageHandler(() => new GatewayHeaderStamp())
            .ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        services.AddTryOnClient(o =>
        {
            o.Endpoint = TryOnEmulator.DefaultBaseAddress;
            o.AppCode = TryOnEmulator.DefaultAppCode;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();

        var submitted = await client.SubmitAsync(Tasks);
        time.Advance(TimeSpan.FromMinutes(1));
        var job = await client.QueryAsync(submitted.ResultKey);
        var saved = await client.DownloadResultsAsync(job, _folder);

        DownloadAssertions.SavedAsPngs(job, saved, _folder);
        DownloadAssertions.NoCredentialReachedTheStorageHost(emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.DownloadResult), expected: 8);
        // The app-wide handler's header still reaches the service: the guard is on the downloads client only.
        var serviceCalls = emulator.Requests.Where(r => r.Operation != TryOnEmulatorOperation.DownloadResult).ToArray();
        Assert.Equal([TryOnEmulatorOperation.Submit, TryOnEmulatorOperation.Query], serviceCalls.Select(r => r.Operation));
        Assert.All(serviceCalls, r => Assert.Equal("RELEASE", r.Headers["X-Ca-Stage"]));
    }

    /// <summary>An app-wide handler that adds a gateway header to every request of every client.</summary>
    private sealed class GatewayHeaderStamp : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-Ca-Stage", "RELEASE");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class SyncProgress(List<TryOnDownloadProgress> reports) : IProgress<TryOnDownloadProgress>
    {
        public void Report(TryOnDownloadProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
