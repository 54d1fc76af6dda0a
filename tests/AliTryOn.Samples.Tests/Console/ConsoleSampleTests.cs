using AliTryOn.Samples.Console;
using AliTryOn.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Samples.Tests.Console;

/// <summary>The console sample, run in process: on the built-in emulator, and configured against an emulator server.</summary>
public sealed class ConsoleSampleTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _output = Directory.CreateTempSubdirectory("alitryon-console-").FullName;
    private readonly StringWriter _console = new();

    public void Dispose()
    {
        Directory.Delete(_output, recursive: true);
        _console.Dispose();
    }

    [Fact]
    public async Task With_nothing_configured_it_runs_the_whole_batch_on_the_emulator_and_saves_every_image()
    {
        var exit = await RunOnFakeClockAsync("--output", _output);

        var text = _console.ToString();
        Assert.Equal(SampleApp.Succeeded, exit);
        Assert.Contains("built-in emulator", text, StringComparison.Ordinal);
        Assert.Contains("4 of 4 tasks succeeded; 16 images saved", text, StringComparison.Ordinal);
        // The model photo is the local file that ships with the sample, published through the emulator's image host.
        Assert.Contains("model model-standing.png (local file, published through the image host)", text, StringComparison.Ordinal);
        foreach (var slot in new[] { "upper FlatLay", "lower WornByModel", "full-body FlatLay", "Fast mode", "Quality mode" })
        {
            Assert.Contains(slot, text, StringComparison.Ordinal);
        }

        var files = Directory.GetFiles(_output, "*.png", SearchOption.AllDirectories);
        Assert.Equal(16, files.Length);
        Assert.All(files, file => Assert.Contains(file, text, StringComparison.Ordinal));
        Assert.All(files, file => Assert.Equal(PngSignature, File.ReadAllBytes(file)[..8]));
        Assert.Contains("RUNNING", text, StringComparison.Ordinal); // progress was shown while waiting
    }

    [Fact]
    public async Task Arguments_choose_the_images_and_the_mode()
    {
        var exit = await RunOnFakeClockAsync("--model", "https://img.test/me.jpg", "--full-body", "https://img.test/gown.png", "--mode", "quality", "--output", _output);

        var text = _console.ToString();
        Assert.Equal(SampleApp.Succeeded, exit);
        Assert.Contains("Submitted 1 task as job", text, StringComparison.Ordinal);
        Assert.Contains("full-body FlatLay gown.png; Quality mode", text, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(_output, "*.png", SearchOption.AllDirectories).Length);
    }

    [Theory]
    [InlineData("--mode", "turbo", "'turbo' is not a mode")]
    [InlineData("--upper", "not a url", "'not a url' is not an absolute URL")]
    [InlineData("--uper", "https://example.com/coat.jpg", "'--uper' is not an option of the sample")] // not the demo batch instead
    [InlineData("https://example.com/coat.jpg", "--model", "'https://example.com/coat.jpg' is not an option")]
    public async Task Bad_arguments_fail_with_a_message_and_the_usage(string option, string value, string message)
    {
        var exit = await RunOnFakeClockAsync(option, value, "--output", _output);

        Assert.Equal(SampleApp.Failed, exit);
        Assert.Contains(message, _console.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage:", _console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_is_reported_with_its_configuration_key()
    {
        var exit = await SampleApp.RunAsync(["--AliTryOn:Endpoint=http://tryon.example.com", "--AliTryOn:AppCode=some-code"], _console, TimeProvider.System);

        Assert.Equal(SampleApp.Failed, exit);
        Assert.Contains("Configuration key 'AliTryOn:Endpoint' (environment variable AliTryOn__Endpoint) must use https", _console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("some-code", _console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_with_an_endpoint_and_appcode_it_calls_that_server_and_downloads_without_credentials()
    {
        await using var server = await EmulatorServer.StartAsync();

        var exit = await SampleApp.RunAsync(server.Arguments(_output), _console, TimeProvider.System);

        Assert.Equal(SampleApp.Succeeded, exit);
        Assert.Contains($"Calling {server.Address}", _console.ToString(), StringComparison.Ordinal);
        Assert.Equal(16, Directory.GetFiles(_output, "*.png", SearchOption.AllDirectories).Length);
        var downloads = server.Emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.DownloadResult).ToArray();
        Assert.Equal(16, downloads.Length);
        Assert.All(downloads, r => Assert.Equal(200, r.Status));
        Assert.All(downloads, r => Assert.DoesNotContain(r.Headers.Keys, h => h == "Authorization" || h.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task An_image_that_cannot_be_downloaded_is_reported_the_others_are_saved_and_the_exit_code_says_partly_failed()
    {
        await using var server = await EmulatorServer.StartAsync();
        server.Emulator.Faults.Add(TryOnEmulatorOperation.DownloadResult, TryOnEmulatorFault.GatewayError(404, "Not Found"));

        var exit = await SampleApp.RunAsync(server.Arguments(_output), _console, TimeProvider.System);

        var text = _console.ToString();
        Assert.Equal(SampleApp.PartlyFailed, exit);
        Assert.Contains("4 of 4 tasks succeeded; 15 images saved", text, StringComparison.Ordinal);
        Assert.Matches(@"task \d result \d NOT SAVED \(TryOnDownloadException\): The storage host has no result at ", text);
        Assert.Equal(15, Directory.GetFiles(_output, "*.png").Length);
        Assert.Empty(Directory.GetFiles(_output, "*.tmp*", SearchOption.AllDirectories));
        Assert.DoesNotContain("Signature=", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Some_failed_tasks_give_the_partial_failure_exit_code()
    {
        await using var server = await EmulatorServer.StartAsync();
        server.Emulator.Images.MarkGenerationFailure("https://example.com/tryon/summer-dress.jpg");

        var exit = await SampleApp.RunAsync(server.Arguments(_output), _console, TimeProvider.System);

        Assert.Equal(SampleApp.PartlyFailed, exit);
        Assert.Contains("task 2 FAILED: model model-standing.jpg; full-body FlatLay summer-dress.jpg", _console.ToString(), StringComparison.Ordinal);
        Assert.Equal(12, Directory.GetFiles(_output, "*.png", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Configured_for_a_service_with_no_image_host_a_local_photo_fails_before_anything_is_sent_saying_how_to_host_it()
    {
        await using var server = await EmulatorServer.StartAsync();

        var exit = await SampleApp.RunAsync([.. server.Arguments(_output).Skip(2)], _console, TimeProvider.System);

        Assert.Equal(SampleApp.Failed, exit);
        Assert.Contains("error: tasks[0].ModelImage: model-standing.png is a local image, and the service takes images by URL only: configure an image host", _console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit);
    }

    [Fact]
    public async Task Configured_for_a_service_it_takes_its_image_host_from_the_s3_settings()
    {
        await using var server = await EmulatorServer.StartAsync();

        // A bucket section without its bucket: the host is built from these settings, which name what is missing.
        var exit = await SampleApp.RunAsync([.. server.Arguments(_output).Skip(2), "--AliTryOn:Images:S3:ServiceUrl=http://127.0.0.1:9"], _console, TimeProvider.System);

        Assert.Equal(SampleApp.Failed, exit);
        Assert.Contains("AliTryOn:Images:S3:BucketName", _console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit);
    }

    [Fact]
    public async Task A_service_error_is_reported_by_its_type()
    {
        await using var server = await EmulatorServer.StartAsync();
        server.Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.QuotaExhausted());

        var exit = await SampleApp.RunAsync(server.Arguments(_output), _console, TimeProvider.System);

        Assert.Equal(SampleApp.Failed, exit);
        Assert.Contains("error (TryOnQuotaExceededException)", _console.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the sample in emulator mode on a fake clock. The clock advances only for the first two fake minutes, far
    /// more than the job needs: past that the sample is downloading (real I/O), and a clock still racing ahead
    /// would expire the result links under it. A real-time bound only turns a hang into a failure.
    /// </summary>
    private async Task<int> RunOnFakeClockAsync(params string[] args)
    {
        var time = new ObservedFakeTimeProvider();
        var run = SampleApp.RunAsync(args, _console, time);
        var end = time.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (!run.IsCompleted && time.GetUtcNow() < end)
        {
            // Only while the sample waits between queries (its poll delays are at most 2 s): never while it reads its
            // photo or a call is in flight (their time limits are 30 s and more), so real work cannot fall behind a
            // clock racing ahead of it.
            if (time.HasTimerDueWithin(TimeSpan.FromSeconds(3)))
            {
                FakeClock.Advance(time, FakeClock.Step);
            }

            await Task.Yield();
        }

        return await run.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>An emulator on Kestrel, 127.0.0.1, any free port; its jobs finish at once.</summary>
    private sealed class EmulatorServer(WebApplication app) : IAsyncDisposable
    {
        public Uri Address { get; } = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        public TryOnEmulator Emulator { get; } = app.Services.GetRequiredService<TryOnEmulator>();

        public static async Task<EmulatorServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddTryOnEmulator(o => o.QueueTime = o.FastDuration = o.QualityDuration = TimeSpan.Zero);
            var app = builder.Build();
            app.MapTryOnEmulator();
            await app.StartAsync();
            return new EmulatorServer(app);
        }

        /// <summary>
        /// The sample's settings for this server, polling quickly since jobs finish at once, with a model photo given by
        /// URL: configured for a service, the sample has no image host for its own local photo unless one is configured.
        /// </summary>
        public string[] Arguments(string output) =>
        [
            "--model", "https://example.com/tryon/model-standing.jpg",
            $"--AliTryOn:Endpoint={Address}",
            $"--AliTryOn:AppCode={TryOnEmulator.DefaultAppCode}",
            "--AliTryOn:Polling:InitialDelay=00:00:00.010",
            "--AliTryOn:Polling:MaxDelay=00:00:00.050",
            "--output", output,
        ];

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
