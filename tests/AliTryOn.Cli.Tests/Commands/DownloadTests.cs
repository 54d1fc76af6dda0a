using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

public sealed class DownloadTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Download_waits_for_the_job_then_saves_every_image()
    {
        var job = await _cli.Emulator.CreateClient().SubmitAsync(Task("https://example.com/shirt.jpg"));
        var output = _folder.File("images");

        var result = await _cli.RunAsync("download", job.ResultKey, "--output", output, "--emulator", "--json");

        Assert.Equal(0, result.ExitCode);
        var files = result.Json().GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToArray();
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0));
        Assert.Equal(files.Order(), Directory.GetFiles(output).Order());
        Assert.All(files, f => Assert.StartsWith($"{job.ResultKey}-task0-result", Path.GetFileName(f), StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal(".png", Path.GetExtension(f)));
    }

    [Fact]
    public async Task Download_of_a_partly_failed_job_saves_what_succeeded_and_is_exit_code_2()
    {
        _cli.Emulator.Images.MarkGenerationFailure("https://example.com/bad.jpg");
        var job = await _cli.Emulator.CreateClient().SubmitAsync([Task("https://example.com/shirt.jpg"), Task("https://example.com/bad.jpg")]);

        var result = await _cli.RunAsync("download", job.ResultKey, "--output", _folder.Path, "--emulator");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [$"{job.ResultKey}-task0-result0.png", $"{job.ResultKey}-task0-result1.png"],
            Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("task 1 FAILED", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_where_an_image_fails_saves_the_others_lists_the_failure_and_is_exit_code_2()
    {
        var job = await _cli.Emulator.CreateClient().SubmitAsync([Task("https://example.com/shirt.jpg"), Task("https://example.com/coat.jpg")]);
        _cli.Emulator.Faults.Add(AliTryOn.Testing.TryOnEmulatorOperation.DownloadResult, AliTryOn.Testing.TryOnEmulatorFault.ServiceError(404, 404));

        var result = await _cli.RunAsync("download", job.ResultKey, "--output", _folder.Path, "--emulator", "--json");

        Assert.Equal(2, result.ExitCode);
        var document = result.Json();
        var saved = document.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToArray();
        var failure = Assert.Single(document.GetProperty("downloadErrors").EnumerateArray().ToArray());
        Assert.Equal("TryOnDownloadException", failure.GetProperty("error").GetString());
        Assert.Contains("HTTP 404", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, saved.Length);
        Assert.Equal(saved.Order(), Directory.GetFiles(_folder.Path).Order());
        var failed = $"{job.ResultKey}-task{failure.GetProperty("taskIndex").GetInt32()}-result{failure.GetProperty("resultIndex").GetInt32()}.png";
        Assert.DoesNotContain(failed, saved.Select(Path.GetFileName));
    }

    public void Dispose() => _folder.Dispose();

    private static TryOnTask Task(string upper) => new(new Uri("https://example.com/model.jpg"), new GarmentImage(new Uri(upper), GarmentKind.FlatLay));
}
