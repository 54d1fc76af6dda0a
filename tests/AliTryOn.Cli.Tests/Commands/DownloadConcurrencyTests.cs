using System.Diagnostics;
using AliTryOn.Cli.Tests.EndToEnd;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

/// <summary>
/// <c>--downloads</c> bounds how many images <c>download</c> and <c>run</c> fetch at once, 4 by default. The stand-in
/// service holds every image until the test lets one go, and lets one go only once as many are held as the bound
/// allows: a tool that kept to a lower bound would stall there, one that passed it would be seen doing so.
/// </summary>
public sealed class DownloadConcurrencyTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(null, 4)]
    [InlineData("1", 1)]
    [InlineData("3", 3)]
    public async Task Download_fetches_as_many_images_at_once_as_downloads_says(string? downloads, int bound)
    {
        await using var service = await IndependentService.StartAsync();
        _cli.Use(service);
        var key = await SubmitAsync(service, tasks: 7);
        string[] flag = downloads is null ? [] : ["--downloads", downloads];

        var result = await ReleaseHeldImagesAsync(service, bound, total: 7, () => _cli.RunAsync(["download", key, "--output", _folder.Path, .. flag]));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(bound, service.MostImagesAtOnce);
        Assert.Equal(7, Directory.GetFiles(_folder.Path, "*.png").Length);
    }

    [Fact]
    public async Task Run_fetches_as_many_images_at_once_as_downloads_says_across_its_rows()
    {
        // A job per row, all in flight at once: a bound kept per job instead of across the run would let 8 through.
        await using var service = await IndependentService.StartAsync();
        _cli.Use(service);
        var manifest = _folder.File("manifest.csv");
        File.WriteAllLines(manifest, ["id,model,upper", .. Enumerable.Range(1, 8).Select(i => $"r{i},https://example.com/m{i}.jpg,https://example.com/s{i}.jpg")]);

        var result = await ReleaseHeldImagesAsync(service, bound: 2, total: 8, () => _cli.RunAsync("run", manifest, "--output", _folder.File("out"), "--downloads", "2", "--batch-size", "1", "--concurrency", "8", "--json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(8, result.Json().GetProperty("succeeded").GetInt32());
        Assert.Equal(2, service.MostImagesAtOnce);
    }

    [Theory]
    [InlineData("download", "0")]
    [InlineData("download", "65")]
    [InlineData("run", "many")]
    public async Task A_downloads_value_out_of_range_stops_the_command_before_it_sends_anything(string command, string value)
    {
        await using var service = await IndependentService.StartAsync();
        _cli.Use(service);
        // A job to download and a manifest to run, both fine: only the flag is wrong.
        var key = await SubmitAsync(service, tasks: 1);
        var manifest = _folder.File("manifest.csv");
        File.WriteAllLines(manifest, ["id,model,upper", "r1,https://example.com/m.jpg,https://example.com/s.jpg"]);

        var result = await _cli.RunAsync(command, command == "run" ? manifest : key, "--output", _folder.File("out"), "--downloads", value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--downloads must be a whole number from 1 to 64; '{value}' is not.", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, service.Submits); // the test's own
        Assert.Equal(0, service.Queries);
        Assert.Equal(0, service.ImageRequests);
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public async Task Help_of_both_commands_names_the_option_and_its_default()
    {
        foreach (var command in new[] { "download", "run" })
        {
            var help = await _cli.RunAsync(command, "--help");

            Assert.Contains("--downloads <1-64>", help.AllOutput, StringComparison.Ordinal);
            Assert.Contains("Images downloaded at once (default: 4).", help.AllOutput, StringComparison.Ordinal);
        }
    }

    private static async Task<string> SubmitAsync(IndependentService service, int tasks)
    {
        var client = new TryOnClient(new TryOnClientOptions { Endpoint = service.Address, AppCode = IndependentService.AppCode });
        var job = await client.SubmitAsync(Enumerable.Range(0, tasks).Select(i => new TryOnTask(
            new Uri($"https://example.com/m{i}.jpg"),
            new GarmentImage(new Uri($"https://example.com/s{i}.jpg"), GarmentKind.FlatLay))));
        return job.ResultKey;
    }

    /// <summary>
    /// Starts <paramref name="run"/> with every image held, and lets one go only once as many are held as
    /// <paramref name="bound"/> allows (or all that are left), until the command ends.
    /// </summary>
    private static async Task<CliResult> ReleaseHeldImagesAsync(IndependentService service, int bound, int total, Func<Task<CliResult>> run)
    {
        using var held = new SemaphoreSlim(0);
        service.HeldImages = held;
        var command = run();
        var released = 0;
        var guard = Stopwatch.StartNew();
        while (!command.IsCompleted)
        {
            if (guard.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{service.ImageRequests} image requests arrived, {released} released: the command did not reach {bound} at once.");
            }

            Assert.InRange(service.ImageRequests - released, 0, bound); // never more held than the bound
            if (service.ImageRequests - released >= Math.Min(bound, total - released) && released < total)
            {
                held.Release();
                released++;
            }
            else
            {
                await Task.Delay(1);
            }
        }

        return await command;
    }
}
