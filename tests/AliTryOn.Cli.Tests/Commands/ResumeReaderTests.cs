using System.Text.Json.Nodes;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

/// <summary>A second reader's checks of the resume of saved images (commit ecbaf1c).</summary>
public sealed class ResumeReaderTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Output => _folder.File("out");

    private string Manifest(params string[] rows)
    {
        var path = _folder.File("manifest.csv");
        File.WriteAllLines(path, ["id,model,upper,lower,full_body,mode", .. rows]);
        return path;
    }

    private async Task<EndToEnd.IndependentService> UseIndependentServiceAsync()
    {
        var service = await EndToEnd.IndependentService.StartAsync();
        _cli.Use(service);
        return service;
    }

    private static string Row(string id, string garment = "shirt", string mode = "fast") =>
        $"{id},https://example.com/{id}-model.jpg,https://example.com/{garment}.jpg,,,{mode}";

    [Fact]
    public async Task A_row_whose_images_the_stopped_run_recorded_all_is_kept_when_the_service_has_forgotten_its_job()
    {
        // The run saved and recorded row a's image, then stopped before its report (as the commit's own tests do it).
        var manifest = Manifest(Row("a"));
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        await using (await UseIndependentServiceAsync())
        {
            Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output)).ExitCode);
        }

        File.Delete(Path.Combine(Output, "report.json"));
        File.Delete(Path.Combine(Output, "report.csv"));
        var saved = Assert.Single(JsonNode.Parse(File.ReadAllText(statePath))!["batches"]![0]!["saved"]!.AsArray())!;
        Assert.Equal("a-0.png", (string?)saved["file"]);

        // A day later the links have expired and the service no longer knows the job (as its links, it keeps it a
        // day): the image is on disk, whole, recorded as this job's.
        await using var later = await UseIndependentServiceAsync();
        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("succeeded", result.Json().GetProperty("rows")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_file_saved_under_a_name_of_another_case_takes_the_record_of_the_first_so_its_image_is_fetched_again()
    {
        // On a file system that ignores case (Windows, macOS, a FAT or NTFS drive on Linux), photo-0.png is Photo-0.png:
        // job-2's image is in it. Whichever it is here, job-1's row does not take that file for its own.
        await using var service = await UseIndependentServiceAsync();
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Row("Photo")), "--output", Output)).ExitCode); // job-1: Photo-0.png
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Row("photo")), "--output", Output)).ExitCode); // job-2: photo-0.png
        File.Delete(Path.Combine(Output, "report.json")); // as if the last run stopped before its report

        var asked = service.ImagesAsked.Count;
        var result = await _cli.RunAsync("run", Manifest(Row("Photo")), "--output", Output, "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(["job-1-0-0.png"], service.ImagesAsked.Skip(asked));
        Assert.Equal("succeeded", result.Json().GetProperty("rows")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_older_reports_row_is_not_kept_over_its_file_saved_since_by_another_task_of_its_job()
    {
        // Rows named by position: P is row1, Q row2, one job (job-1: P task 0, Q task 1).
        static string Positional(string model) => $",https://example.com/{model}-model.jpg,https://example.com/shirt.jpg,,,fast";
        await using var service = await UseIndependentServiceAsync();
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Positional("p"), Positional("q")), "--output", Output, "--batch-size", "2")).ExitCode);
        var report = File.ReadAllText(Path.Combine(Output, "report.json")); // row2: job-1 task 1, row2-0.png

        // A row is put above them: P is now row2, Q row3; P's image (job-1 task 0) is saved as row2-0.png, over Q's,
        // and recorded so. The run stops before its report: the last report is still the first run's.
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Positional("n"), Positional("p"), Positional("q")), "--output", Output, "--batch-size", "2")).ExitCode);
        File.WriteAllText(Path.Combine(Output, "report.json"), report);

        // The row taken out again: Q is row2 again, and row2-0.png holds P's image, which the state records.
        var asked = service.ImagesAsked.Count;
        var back = await _cli.RunAsync("run", Manifest(Positional("p"), Positional("q")), "--output", Output, "--batch-size", "2");

        Assert.True(back.ExitCode == 0, back.StdErr);
        Assert.DoesNotContain("row 2 (row2): succeeded, 1 image, kept from an earlier run", back.StdErr, StringComparison.Ordinal);
        Assert.Contains("job-1-1-0.png", service.ImagesAsked.Skip(asked));
    }
}
