using AliTryOn.Testing.Tests.Downloads;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>
/// Result downloads over real sockets from the emulator server on 127.0.0.1: the storage host it plays refuses any
/// request with the AppCode or an <c>X-Ca-*</c> header, and records what it received, so the wire shows what was sent.
/// </summary>
public sealed class KestrelDownloadTests(KestrelEmulatorFixture server) : IClassFixture<KestrelEmulatorFixture>, IDisposable
{
    private static readonly TryOnTask[] Tasks =
    [
        new(new Uri("https://img.test/model.png"), Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay)),
        new(new Uri("https://img.test/model.png"), Lower: new GarmentImage(new Uri("https://img.test/jeans.png"), GarmentKind.WornByModel), InferenceMode: InferenceMode.Quality),
        new(new Uri("https://img.test/model.png"), FullBody: new GarmentImage(new Uri("https://img.test/dress.png"), GarmentKind.FlatLay)),
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alitryon-kestrel-downloads-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        server.Emulator.Faults.Clear();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_built_without_dependency_injection_downloads_every_result_with_no_credential_on_the_wire()
    {
        var client = server.CreateClient();
        var job = await client.SubmitAndWaitAsync(Tasks);

        var saved = await client.DownloadResultsAsync(job, _folder);

        Assert.Equal(12, saved.Count);
        DownloadAssertions.SavedAsPngs(job, saved, _folder);
        DownloadAssertions.NoCredentialReachedTheStorageHost(Downloads(job), expected: 12);
    }

    [Fact]
    public async Task A_client_registered_with_dependency_injection_downloads_with_no_credential_on_the_wire()
    {
        var services = new ServiceCollection();
        // An app-wide handler that stamps a gateway header on every request of every client: the downloads client's
        // guard keeps it from the storage host.
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new GatewayHeaderStamp()));
        services.AddTryOnClient(o =>
        {
            o.Endpoint = server.Address;
            o.AppCode = "e2e-appcode";
            o.Polling.InitialDelay = TimeSpan.FromMilliseconds(5);
            o.Polling.MaxDelay = TimeSpan.FromMilliseconds(20);
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();
        var job = await client.SubmitAndWaitAsync(Tasks[0]);

        using var destination = new MemoryStream();
        var image = await client.DownloadResultAsync(job.ResultUrls[0], destination);
        var path = Path.Combine(_folder, "one.png");
        var saved = await client.DownloadResultToFileAsync(job.ResultUrls[1], path);

        Assert.Equal("image/png", image.ContentType);
        Assert.Equal(image.Length, destination.Length);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], destination.ToArray()[..4]);
        DownloadAssertions.SavedAsPng(saved, path);
        DownloadAssertions.NoCredentialReachedTheStorageHost(Downloads(job), expected: 2);
        // The app-wide handler's header still reaches the service: the guard is on the downloads client only.
        var serviceCalls = server.Emulator.Requests.Where(r => r.ResultKey == job.ResultKey && r.Operation != TryOnEmulatorOperation.DownloadResult).ToArray();
        Assert.Contains(serviceCalls, r => r.Operation == TryOnEmulatorOperation.Submit);
        Assert.All(serviceCalls, r => Assert.Equal("RELEASE", r.Headers["X-Ca-Stage"]));
    }

    [Fact]
    public async Task A_client_handed_an_authenticating_HttpClient_downloads_through_a_client_of_its_own()
    {
        var options = new TryOnClientOptions
        {
            Endpoint = server.Address,
            AppCode = "e2e-appcode",
            Polling = { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
        };
        using var authenticating = new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } });
        var client = new TryOnClient(authenticating, options);
        var job = await client.SubmitAndWaitAsync(Tasks[2]);

        var saved = await client.DownloadResultsAsync(job, _folder);

        DownloadAssertions.SavedAsPngs(job, saved, _folder);
        DownloadAssertions.NoCredentialReachedTheStorageHost(Downloads(job), expected: 4);
    }

    [Fact]
    public async Task A_link_the_storage_host_refuses_is_a_typed_error_over_the_wire()
    {
        var client = server.CreateClient();
        var job = await client.SubmitAndWaitAsync(Tasks[0]);
        var link = job.ResultUrls[0].AbsoluteUri;
        var tampered = new Uri(link[..(link.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)] + "0000");

        using var destination = new MemoryStream();
        var error = await Assert.ThrowsAsync<TryOnResultExpiredException>(() => client.DownloadResultAsync(tampered, destination));

        Assert.Equal(403, error.Status);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.DoesNotContain("Signature=", error.Message, StringComparison.Ordinal);
        Assert.Single(Downloads(job)); // refused once, not retried
    }

    [Fact]
    public async Task A_storage_error_page_over_the_wire_is_retried_then_the_image_is_saved()
    {
        var client = server.CreateClient();
        var job = await client.SubmitAndWaitAsync(Tasks[0]);
        server.Emulator.Faults.Add(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.HtmlError(502));
        server.Emulator.Faults.Add(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.DroppedConnection(afterProcessing: true));

        var path = Path.Combine(_folder, "retried.png");
        var saved = await client.DownloadResultToFileAsync(job.ResultUrls[0], path);

        Assert.Equal([502, 0, 200], Downloads(job).Select(r => r.Status));
        DownloadAssertions.SavedAsPng(saved, path);
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    /// <summary>The downloads of the job's results, by their path (a download struck before processing names no job).</summary>
    private IEnumerable<TryOnEmulatorRequest> Downloads(TryOnJob job) =>
        server.Emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.DownloadResult && r.Path.Contains("/" + job.ResultKey + "/", StringComparison.Ordinal));

    private sealed class GatewayHeaderStamp : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-Ca-Stage", "RELEASE");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
