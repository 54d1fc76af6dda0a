using System.Text.Json;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

/// <summary><c>check</c>: every problem of a manifest, and what a run would bill, without credentials and without spending anything.</summary>
public sealed class CheckTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RecordingImageHost _host = new();
    private ImageServer _images = null!;

    private string Output => _folder.File("out");

    public async Task InitializeAsync()
    {
        _images = await ImageServer.StartAsync();
        _images.Add("coat.png", TestImages.Png(500, 500));
        _images.Add("carol.png", TestImages.Png(600, 800));
    }

    public async Task DisposeAsync() => await _images.DisposeAsync();

    /// <summary>A runner with no credentials at all; with <paramref name="s3"/>, S3 settings that make the recording host.</summary>
    private CliRunner Cli(bool s3 = true)
    {
        var cli = new CliRunner { CreateS3ImageHost = _ => _host };
        if (s3)
        {
            cli.Environment["AliTryOn__Images__S3__BucketName"] = "looks-bucket";
        }

        return cli;
    }

    private string Manifest(params string[] rows)
    {
        var path = _folder.File(Path.Combine("looks", "manifest.csv"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, ["id,model,upper,lower,full_body,mode", .. rows]);
        return path;
    }

    private void Photo(string relativePath, int width = 600, int height = 800) =>
        _folder.Png(Path.Combine("looks", relativePath), width, height);

    [Fact]
    public async Task Check_lists_exactly_the_bad_rows_with_their_measurements_and_counts_what_run_would_bill()
    {
        Photo("photos/alice.png");
        Photo("photos/bob.png");
        Photo("garments/jeans.png", 450, 900);
        Photo("photos/small.png", 380, 512);
        File.WriteAllText(_folder.File(Path.Combine("looks", "notes.txt")), "not a photo");
        var coat = _images.Url("coat.png");
        var missing = _images.Url("missing.png");
        var manifest = Manifest(
            $"alice,photos/alice.png,{coat},,,fast",
            "bob,photos/bob.png,,garments/jeans.png,,quality",
            $"small,photos/small.png,{coat},,,fast",
            $"gone,photos/gone.png,{coat},,,fast",
            "text,photos/bob.png,notes.txt,,,fast",
            $"remote,photos/alice.png,{missing},,,fast",
            $"carol,{_images.Url("carol.png")},{coat},,,fast");
        var cli = Cli();

        var result = await cli.RunAsync("check", manifest, "--output", Output, "--batch-size", "2", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        var check = result.Json();
        var problems = check.GetProperty("problems").EnumerateArray().ToArray();
        Assert.Equal([3, 4, 5, 6], problems.Select(p => p.GetProperty("row").GetInt32()));
        Assert.Equal(["small", "gone", "text", "remote"], problems.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(["model", "model", "upper", "upper"], problems.Select(p => p.GetProperty("column").GetString()));
        Assert.Equal(["photos/small.png", "photos/gone.png", "notes.txt", missing], problems.Select(p => p.GetProperty("image").GetString()));
        Assert.Equal(["Dimensions", "Unreadable", "NotAnImage", "Unreachable"], problems.Select(p => p.GetProperty("problem").GetString()));
        Assert.Equal("small.png is 380 × 512 px; each side must be 400 to 4096 px", Message(problems[0]));
        Assert.StartsWith("gone.png cannot be read", Message(problems[1]), StringComparison.Ordinal);
        Assert.Equal("notes.txt is not an image (JPEG, PNG, WebP, BMP or GIF)", Message(problems[2]));
        Assert.Equal($"{missing} could not be fetched (HTTP 404), so the service could not fetch it either", Message(problems[3]));
        Assert.Contains("(HTTP 404)", Message(problems[3]), StringComparison.Ordinal);

        Assert.Equal(7, check.GetProperty("rows").GetInt32());
        Assert.Equal(4, check.GetProperty("failingRows").GetInt32());
        Assert.Equal(0, check.GetProperty("recordedRows").GetInt32());
        Assert.Equal(6, check.GetProperty("files").GetInt32()); // alice, bob, jeans, small, gone, notes
        Assert.Equal(3, check.GetProperty("urls").GetInt32()); // coat, missing, carol
        Assert.Equal(3, check.GetProperty("billedTasks").GetInt32()); // alice, bob, carol
        Assert.Equal(2, check.GetProperty("billedJobs").GetInt32()); // two a job
        Assert.Equal("RecordingImageHost", check.GetProperty("imageHost").GetString());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("imageHostProblem").ValueKind);

        // Nothing was published, nothing written beside the manifest's output.
        Assert.Empty(_host.Published);
        Assert.False(Directory.Exists(Output));

        // The same as a table for a person.
        var text = await cli.RunAsync("check", manifest, "--output", Output, "--batch-size", "2");
        Assert.Equal(2, text.ExitCode);
        var lines = text.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var header = Array.FindIndex(lines, l => l.StartsWith("ROW", StringComparison.Ordinal));
        Assert.Matches("^ROW +ID +COLUMN +IMAGE +PROBLEM$", lines[header]);
        Assert.Matches("^3 +small +model +photos/small.png +small.png is 380 × 512 px; each side must be 400 to 4096 px$", lines[header + 1]);
        Assert.Matches("^4 +gone +model +photos/gone.png +gone.png cannot be read", lines[header + 2]);
        Assert.Matches("^5 +text +upper +notes.txt +notes.txt is not an image", lines[header + 3]);
        Assert.Matches($"^6 +remote +upper +{missing} +{missing} could not be fetched", lines[header + 4]);
        Assert.Equal(string.Empty, lines[header + 5]);
        Assert.Contains("4 of 7 rows would fail; they are not counted below.", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("Billed if run now: 3 tasks in 2 jobs (up to 2 tasks a job).", text.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_a_manifest_without_problems_is_exit_code_0_and_writes_nothing()
    {
        Photo("photos/alice.png");
        Photo("photos/bob.png");
        var coat = _images.Url("coat.png");
        var manifest = Manifest(
            $"alice,photos/alice.png,{coat},,,fast",
            $"bob,photos/bob.png,photos/alice.png,,,quality",
            $"carol,{_images.Url("carol.png")},{coat},,,fast");

        var result = await Cli().RunAsync("check", manifest, "--output", Output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("manifest.csv: 3 rows; 4 images checked (2 local files, 2 URLs).", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Local images would be published through RecordingImageHost.", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("No problems found.", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Billed if run now: 3 tasks in 1 job (up to 10 tasks a job).", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("ROW", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("nothing is published or sent to the service", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_host.Published);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public async Task Check_without_an_image_host_still_reads_every_file_and_names_the_settings_to_set()
    {
        Photo("photos/alice.png");
        var manifest = Manifest(
            $"alice,photos/alice.png,{_images.Url("coat.png")},,,fast",
            $"gone,photos/gone.png,{_images.Url("coat.png")},,,fast");

        var result = await Cli(s3: false).RunAsync("check", manifest, "--output", Output, "--json");

        Assert.Equal(2, result.ExitCode);
        var check = result.Json();
        Assert.Equal(JsonValueKind.Null, check.GetProperty("imageHost").ValueKind);
        var hostProblem = check.GetProperty("imageHostProblem").GetString()!;
        Assert.StartsWith("2 rows to submit have local images, and no image host is configured: 'run' would stop before sending anything.", hostProblem, StringComparison.Ordinal);
        Assert.Contains("AliTryOn:Images:S3:BucketName", hostProblem, StringComparison.Ordinal);
        var problem = Assert.Single(check.GetProperty("problems").EnumerateArray());
        Assert.Equal("Unreadable", problem.GetProperty("problem").GetString());
        Assert.Equal(2, check.GetProperty("files").GetInt32());
    }

    [Fact]
    public async Task Check_counts_the_recorded_rows_a_stopped_run_left_without_a_key_and_says_run_reports_them_unknown()
    {
        await using var service = await EndToEnd.IndependentService.StartAsync();
        var coat = _images.Url("coat.png");
        var carol = _images.Url("carol.png");
        var manifest = Manifest($"a,{carol},{coat},,,fast", $"b,{carol},,{coat},,fast", $"c,{carol},{coat},,,fast");
        Assert.Equal(0, (await Cli().Use(service).RunAsync("run", manifest, "--output", Output, "--batch-size", "2")).ExitCode);

        // A run killed while the first job's submit was out leaves that batch without its key.
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(statePath))!;
        var first = state["batches"]!.AsArray().Single(b => b!["rows"]!.ToJsonString().Contains("\"a\"", StringComparison.Ordinal))!;
        first["resultKey"] = null;
        File.WriteAllText(statePath, state.ToJsonString());

        var json = (await Cli().RunAsync("check", manifest, "--output", Output, "--json")).Json();
        var text = await Cli().RunAsync("check", manifest, "--output", Output);

        Assert.Equal((3, 2), (json.GetProperty("recordedRows").GetInt32(), json.GetProperty("unknownRows").GetInt32()));
        Assert.Contains("3 rows already submitted", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("2 of them have a job whose key never arrived (a run stopped while the submit was out, or no answer came): 'run' reports them unknown", text.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_counts_only_the_rows_run_would_submit_and_lists_every_invalid_row()
    {
        await using var service = await EndToEnd.IndependentService.StartAsync();
        var coat = _images.Url("coat.png");
        var carol = _images.Url("carol.png");
        var first = Manifest($"a,{carol},{coat},,,fast", $"b,{carol},,{coat},,fast");
        var run = Cli().Use(service);
        Assert.Equal(0, (await run.RunAsync("run", first, "--output", Output)).ExitCode);
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = File.ReadAllText(statePath);
        var report = File.ReadAllText(Path.Combine(Output, "report.json"));
        var fetched = _images.Requests;

        // Two rows recorded, one new, two that cannot be used.
        Photo("photos/dave.png");
        var manifest = Manifest(
            $"a,{carol},{coat},,,fast",
            $"b,{carol},,{coat},,fast",
            $"c,photos/dave.png,{coat},,,fast",
            "d,photos/dave.png,,,,fast",
            $"e,photos/dave.png,{coat},,,slow");
        var result = await Cli().RunAsync("check", manifest, "--output", Output, "--json");

        Assert.Equal(2, result.ExitCode);
        var check = result.Json();
        Assert.Equal(5, check.GetProperty("rows").GetInt32());
        Assert.Equal(2, check.GetProperty("recordedRows").GetInt32());
        Assert.Equal(1, check.GetProperty("billedTasks").GetInt32());
        Assert.Equal(1, check.GetProperty("billedJobs").GetInt32());
        var problems = check.GetProperty("problems").EnumerateArray().ToArray();
        Assert.Equal([4, 5], problems.Select(p => p.GetProperty("row").GetInt32()));
        Assert.All(problems, p => Assert.Equal("InvalidRow", p.GetProperty("problem").GetString()));
        Assert.Equal(["d", "e"], problems.Select(p => p.GetProperty("id").GetString())); // as the row wrote it
        Assert.Contains("manifest.csv line 5: no garment", Message(problems[0]), StringComparison.Ordinal);
        Assert.Contains("manifest.csv line 6: mode 'slow' is not a mode", Message(problems[1]), StringComparison.Ordinal);

        // Only the new row's images were checked (its coat once more), and the run's files are as they were.
        Assert.Equal(fetched + 1, _images.Requests);
        Assert.Equal(state, File.ReadAllText(statePath));
        Assert.Equal(report, File.ReadAllText(Path.Combine(Output, "report.json")));

        // A run names the first invalid row, and points at check for the others.
        var refused = await run.RunAsync("run", manifest, "--output", Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("manifest.csv line 5: no garment; set at least one of upper, lower, full_body. (1 more row has problems: 'alitryon check manifest.csv' lists them all.)", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, service.Submits);
    }

    [Fact]
    public async Task The_S3_settings_make_the_packages_S3_host_and_no_command_shows_its_secret()
    {
        const string secret = "SENTINEL-s3-secret-7731";
        Photo("photos/alice.png");
        var manifest = Manifest("alice,photos/alice.png,photos/alice.png,,,fast");
        var cli = new CliRunner(); // the tool's own factory: AliTryOn.S3's host, made (never used) by a check
        cli.Environment["AliTryOn__Images__S3__BucketName"] = "looks-bucket";
        cli.Environment["AliTryOn__Images__S3__ServiceUrl"] = "http://127.0.0.1:9";
        cli.Environment["AliTryOn__Images__S3__ForcePathStyle"] = "true";
        cli.Environment["AliTryOn__Images__S3__Region"] = "us-east-1";
        cli.Environment["AliTryOn__Images__S3__AccessKeyId"] = "looks-key";
        cli.Environment["AliTryOn__Images__S3__SecretAccessKey"] = secret;

        var result = await cli.RunAsync("check", manifest, "--output", Output, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("S3ImageHost", result.Json().GetProperty("imageHost").GetString());
        Assert.DoesNotContain(secret, result.AllOutput, StringComparison.Ordinal);

        // A setting the host refuses stops the command, naming it, and still not showing the secret.
        cli.Environment.Remove("AliTryOn__Images__S3__BucketName");
        var refused = await cli.RunAsync("check", manifest, "--output", Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("AliTryOn:Images:S3:BucketName is required", refused.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.AllOutput, StringComparison.Ordinal);
    }

    private static string Message(JsonElement problem) => problem.GetProperty("message").GetString()!;

    public void Dispose() => _folder.Dispose();
}
