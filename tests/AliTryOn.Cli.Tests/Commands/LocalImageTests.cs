using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

/// <summary><c>run</c> with local images in the manifest: where they are found, how they are published, and how a re-run knows them.</summary>
public sealed class LocalImageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Output => _folder.File("out");

    /// <summary>A manifest in a folder of its own below the temporary one, so that its relative paths resolve nowhere else.</summary>
    private string Manifest(string name, params string[] rows)
    {
        var path = _folder.File(Path.Combine("looks", name));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, ["id,model,upper,lower,full_body,mode", .. rows]);
        return path;
    }

    private string Photo(string relativePath, int width = 600, int height = 800) =>
        _folder.Png(Path.Combine("looks", relativePath), width, height);

    /// <summary>A runner whose S3 settings make <paramref name="host"/>, pointed at a loopback service.</summary>
    private static async Task<(CliRunner Cli, EndToEnd.IndependentService Service)> WithS3HostAsync(RecordingImageHost host, List<string?>? buckets = null)
    {
        var service = await EndToEnd.IndependentService.StartAsync();
        var cli = new CliRunner
        {
            CreateS3ImageHost = section =>
            {
                buckets?.Add(section["BucketName"]);
                return host;
            },
        };
        cli.Use(service).Environment["AliTryOn__Images__S3__BucketName"] = "looks-bucket";
        return (cli, service);
    }

    [Fact]
    public async Task Run_on_the_emulator_publishes_local_photos_submits_their_urls_and_deletes_them_after_the_job()
    {
        // The emulator fetches every submitted image and applies the service's rules to the real bytes, as the service does.
        var cli = new CliRunner(CliRunner.CreateEmulator(fetchImages: true));
        Photo("photos/alice.png");
        Photo("garments/coat.png", 500, 500);
        var manifest = Manifest("manifest.csv", "alice,photos/alice.png,garments/coat.png,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var host = cli.Emulator.ImageHost;
        var task = Assert.Single(SubmittedTasks.Of(cli.Emulator));
        Assert.StartsWith(host.BaseAddress.AbsoluteUri, (string?)task["model_image"], StringComparison.Ordinal);
        Assert.StartsWith(host.BaseAddress.AbsoluteUri, (string?)task["upper_image"]!["url"], StringComparison.Ordinal);
        Assert.Equal("succeeded", result.Json().GetProperty("rows")[0].GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(Output, "alice-0.png")));

        // Both photos were published once, and deleted once the run saw the job finished.
        Assert.Equal(2, host.PublishCount);
        Assert.Equal(2, host.DeleteCount);
        Assert.Empty(host.Keys);
        Assert.Contains("Local images are published through the in-process emulator's in-memory host.", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relative_paths_are_resolved_against_the_manifest_folder_not_the_current_directory()
    {
        var cli = new CliRunner(CliRunner.CreateEmulator(fetchImages: true));
        Photo("photos/bob.png");
        Photo("photos/shirt.png", 610, 800);
        var absolute = Photo("elsewhere/jeans.png", 620, 800);
        var manifest = _folder.File(Path.Combine("looks", "manifest.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.WriteAllText(manifest, $$"""
            [
              { "id": "bob", "model": "photos/bob.png", "upper": "./photos/shirt.png", "lower": "{{new Uri(absolute).AbsoluteUri}}" }
            ]
            """);

        // The tool runs from another folder, where none of those relative paths exists.
        Assert.NotEqual(Path.GetDirectoryName(manifest), Directory.GetCurrentDirectory());
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "photos", "bob.png")));

        var result = await cli.RunAsync("run", Path.GetRelativePath(Directory.GetCurrentDirectory(), manifest), "--output", Output, "--emulator");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, cli.Emulator.ImageHost.PublishCount);

        // The state file records each path as written, with the photos' content hash.
        var row = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, ".alitryon-state.json")))!["batches"]![0]!["rows"]![0]!;
        Assert.Equal("photos/bob.png", (string?)row["task"]!["modelImage"]);
        Assert.Equal("./photos/shirt.png", (string?)row["task"]!["upper"]!["image"]);
        Assert.Equal(new Uri(absolute).AbsoluteUri, (string?)row["task"]!["lower"]!["image"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)row["task"]!["localImagesSha256"]);
    }

    [Fact]
    public async Task A_missing_or_refused_photo_fails_its_row_alone_naming_the_row_and_the_file_and_is_not_submitted()
    {
        var cli = new CliRunner(CliRunner.CreateEmulator(fetchImages: true));
        Photo("photos/alice.png");
        Photo("photos/small.png", 380, 512);
        Photo("garments/coat.png", 500, 500);
        var manifest = Manifest(
            "manifest.csv",
            "alice,photos/alice.png,garments/coat.png,,,fast",
            "gone,photos/gone.png,garments/coat.png,,,fast",
            "small,photos/small.png,garments/coat.png,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        Assert.Equal(2, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["succeeded", "failed", "failed"], rows.Select(r => r.GetProperty("status").GetString()));
        var gone = rows[1].GetProperty("error").GetString()!;
        Assert.StartsWith("model: gone.png cannot be read", gone, StringComparison.Ordinal);
        Assert.EndsWith("Not submitted.", gone, StringComparison.Ordinal);
        Assert.Equal("model: small.png is 380 × 512 px; each side must be 400 to 4096 px. Not submitted.", rows[2].GetProperty("error").GetString());
        Assert.Contains("row 2 (gone): failed: model: gone.png cannot be read", result.StdErr, StringComparison.Ordinal);

        // Only alice's row was submitted; the others cost nothing.
        Assert.Single(SubmittedTasks.Of(cli.Emulator));
        Assert.Equal(2, cli.Emulator.ImageHost.PublishCount);
    }

    [Fact]
    public async Task A_refused_row_before_recorded_ones_leaves_their_jobs_to_be_waited_for()
    {
        var (cli, service) = await WithS3HostAsync(new RecordingImageHost());
        await using var _ = service;
        Photo("photos/bob.png");
        var first = await cli.RunAsync("run", Manifest("manifest.csv", "bob,photos/bob.png,https://example.com/s.jpg,,,fast"), "--output", Output, "--json");
        Assert.Equal(0, first.ExitCode);
        var key = first.Json().GetProperty("rows")[0].GetProperty("resultKey").GetString();

        // A new first row whose photo is missing: refused before anything is sent, and bob keeps his job.
        var manifest = Manifest("manifest.csv", "gone,photos/gone.png,https://example.com/s.jpg,,,fast", "bob,photos/bob.png,https://example.com/s.jpg,,,fast");
        var result = await cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["gone", "bob"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["failed", "succeeded"], rows.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(key, rows[1].GetProperty("resultKey").GetString());
        Assert.Equal(1, service.Submits);
    }

    [Fact]
    public async Task Local_images_without_an_image_host_stop_the_run_before_anything_is_sent()
    {
        await using var service = await EndToEnd.IndependentService.StartAsync();
        var cli = new CliRunner().Use(service);
        Photo("photos/alice.png");
        var manifest = Manifest(
            "manifest.csv",
            "url-row,https://example.com/m.jpg,https://example.com/s.jpg,,,fast",
            "alice,photos/alice.png,https://example.com/s.jpg,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(0, service.Submits);
        var message = result.Json().GetProperty("error").GetProperty("message").GetString()!;
        // The client's own words (how to configure a host), named by row and column…
        Assert.StartsWith("row 2 (alice) model: alice.png is a local image, and the service takes images by URL only: configure an image host", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent.", message, StringComparison.Ordinal);
        // …then which of the tool's settings to set.
        Assert.Contains("AliTryOn:Images:S3:BucketName", message, StringComparison.Ordinal);
        Assert.Contains("AliTryOn__Images__S3__BucketName", message, StringComparison.Ordinal);
        Assert.Contains("--emulator", message, StringComparison.Ordinal);
        Assert.DoesNotContain(EndToEnd.IndependentService.AppCode, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_settings_make_the_image_host_that_publishes_and_then_deletes_the_photos()
    {
        var host = new RecordingImageHost();
        var buckets = new List<string?>();
        var (cli, service) = await WithS3HostAsync(host, buckets);
        await using var _ = service;
        var photo = Photo("photos/alice.png");
        var manifest = Manifest("manifest.csv", "alice,photos/alice.png,https://example.com/s.jpg,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["looks-bucket"], buckets);
        var upload = Assert.Single(host.Published);
        Assert.Equal(File.ReadAllBytes(photo), upload.Content.ToArray());
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal("alice.png", upload.Name);
        Assert.Equal([upload.Key], host.Deleted);
        Assert.Contains("Local images are published through RecordingImageHost.", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_stopped_before_its_job_ended_leaves_the_photos_to_the_next_run_which_deletes_them_once_it_sees_the_job_finish()
    {
        var host = new RecordingImageHost();
        var (cli, service) = await WithS3HostAsync(host);
        await using var _ = service;
        Photo("photos/alice.png");
        Photo("garments/coat.png", 500, 500);
        var manifest = Manifest("manifest.csv", "alice,photos/alice.png,garments/coat.png,,,fast");
        service.Running = true;

        // Stopped (Ctrl+C) while it waits for the job: the tool that deleted the photos is gone.
        using var stop = new CancellationTokenSource();
        var first = cli.RunAsync(["run", manifest, "--output", Output], stop.Token);
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (service.Queries == 0 && !first.IsCompleted && guard.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Yield();
        }

        stop.Cancel();
        var stopped = await first;

        Assert.True(stopped.ExitCode != 0, stopped.ToString());
        Assert.Equal(2, host.Published.Count);
        Assert.Empty(host.Deleted);
        var batch = Assert.Single(JsonNode.Parse(File.ReadAllText(Path.Combine(Output, ".alitryon-state.json")))!["batches"]!.AsArray());
        Assert.Equal(host.Published.Select(u => u.Key).Order(StringComparer.Ordinal), batch!["imageKeys"]!.AsArray().Select(k => (string)k!).Order(StringComparer.Ordinal));

        service.Running = false;
        var rerun = await cli.RunAsync("run", manifest, "--output", Output);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(1, service.Submits);
        Assert.Equal(2, host.Published.Count);
        Assert.Equal(host.Published.Select(u => u.Key).Order(StringComparer.Ordinal), host.Deleted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Images_settings_reach_the_client_under_the_emulator_too()
    {
        var cli = new CliRunner(CliRunner.CreateEmulator());
        cli.Environment["AliTryOn__Images__MaxBytes"] = "100";
        Photo("photos/alice.png");
        var manifest = Manifest("manifest.csv", "alice,photos/alice.png,https://example.com/s.jpg,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model: alice.png is larger than 100 bytes", result.Json().GetProperty("rows")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, cli.SubmitCount);
    }

    [Fact]
    public async Task The_size_limit_a_row_is_refused_for_is_named_as_the_tool_s_key()
    {
        // The user of the tool set AliTryOn__Images__MaxBytes; the SDK's words name TryOnImageOptions.MaxBytes.
        var cli = new CliRunner(CliRunner.CreateEmulator());
        cli.Environment["AliTryOn__Images__MaxBytes"] = "100";
        Photo("photos/alice.png");
        var manifest = Manifest("manifest.csv", "alice,photos/alice.png,https://example.com/s.jpg,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        var error = result.Json().GetProperty("rows")[0].GetProperty("error").GetString();
        Assert.DoesNotContain("TryOnImageOptions", error, StringComparison.Ordinal);
        Assert.Contains("AliTryOn:Images:MaxBytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_checks_are_not_applied_under_the_emulator_which_fetches_no_url_and_a_note_says_so()
    {
        var cli = new CliRunner(CliRunner.CreateEmulator());
        cli.Environment["AliTryOn__Images__CheckUrls"] = "true";
        var manifest = Manifest("manifest.csv", "alice,https://example.com/alice.jpg,https://example.com/s.jpg,,,fast");

        var result = await cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        // Before, every URL failed "could not be fetched (HTTP 404)": the emulator's transport knows no other host.
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("succeeded", result.Json().GetProperty("rows")[0].GetProperty("status").GetString());
        Assert.Contains("Images:CheckUrls is not applied under --emulator", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, cli.SubmitCount);
    }

    [Fact]
    public async Task A_row_left_without_its_key_is_told_so_when_a_refused_row_comes_before_it()
    {
        var (cli, service) = await WithS3HostAsync(new RecordingImageHost());
        await using var _ = service;
        string Row(string id) => $"{id},https://example.com/{id}.jpg,https://example.com/s.jpg,,,fast";
        Assert.Equal(0, (await cli.RunAsync("run", Manifest("manifest.csv", Row("b"), Row("c")), "--output", Output, "--batch-size", "1")).ExitCode);

        // The job of c's batch never named its key (a run stopped while its submit was out).
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        state["batches"]!.AsArray().Single(b => b!["rows"]!.ToJsonString().Contains("\"c\"", StringComparison.Ordinal))!["resultKey"] = null;
        File.WriteAllText(statePath, state.ToJsonString());

        // A row whose photo is missing comes first, and is refused before anything is sent: the others move up.
        var manifest = Manifest("manifest.csv", "a,photos/missing.png,https://example.com/s.jpg,,,fast", Row("b"), Row("c"), Row("d"));
        var result = await cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--json");

        Assert.Equal(2, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => (Status: r.GetProperty("status").GetString(), Error: r.GetProperty("error").GetString()));
        Assert.Equal(("failed", "succeeded", "unknown", "succeeded"), (rows["a"].Status, rows["b"].Status, rows["c"].Status, rows["d"].Status));
        Assert.StartsWith("An earlier run sent this row's job, or was about to, and never learned whether the service created it.", rows["c"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_keeps_the_job_of_an_unchanged_photo_even_once_deleted_and_an_edited_photo_is_new_work()
    {
        var host = new RecordingImageHost();
        var (cli, service) = await WithS3HostAsync(host);
        await using var _ = service;
        var photo = Photo("photos/alice.png");
        var manifest = Manifest("manifest.csv", "alice,photos/alice.png,https://example.com/s.jpg,,,fast");
        Assert.Equal(0, (await cli.RunAsync("run", manifest, "--output", Output)).ExitCode);
        Assert.Equal(1, service.Submits);

        // The same photo: the recorded job is waited for, nothing is submitted or published again.
        var same = await cli.RunAsync("run", manifest, "--output", Output, "--json");
        Assert.Equal(0, same.ExitCode);
        Assert.Equal(1, service.Submits);
        Assert.Single(host.Published);
        var key = same.Json().GetProperty("rows")[0].GetProperty("resultKey").GetString();

        // The photo deleted since its job was submitted: the row still resumes that job.
        var saved = File.ReadAllBytes(photo);
        File.Delete(photo);
        var deleted = await cli.RunAsync("run", manifest, "--output", Output, "--json");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(1, service.Submits);
        Assert.Equal(key, deleted.Json().GetProperty("rows")[0].GetProperty("resultKey").GetString());

        // An edited photo at the same path is a new row: submitted again, and the old job is no longer reported.
        File.WriteAllBytes(photo, TestImages.Png(640, 800));
        Assert.NotEqual(SHA256.HashData(saved), SHA256.HashData(File.ReadAllBytes(photo)));
        var edited = await cli.RunAsync("run", manifest, "--output", Output, "--json");
        Assert.True(edited.ExitCode == 0, edited.ToString());
        Assert.Equal(2, service.Submits);
        Assert.NotEqual(key, edited.Json().GetProperty("rows")[0].GetProperty("resultKey").GetString());
        Assert.Contains("no longer in the manifest (removed or changed)", edited.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
