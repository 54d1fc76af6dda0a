using System.Text.Json.Nodes;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

public sealed class RunTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    private string Output => _folder.File("out");

    private string Manifest(params string[] rows)
    {
        var path = _folder.File("manifest.csv");
        File.WriteAllLines(path, ["id,model,upper,lower,full_body,mode", .. rows]);
        return path;
    }

    private static string Row(string id, string garment = "shirt", string mode = "fast") =>
        $"{id},https://example.com/{id}-model.jpg,https://example.com/{garment}.jpg,,,{mode}";

    [Fact]
    public async Task Run_submits_in_batches_downloads_images_and_writes_reports()
    {
        var manifest = Manifest(Row("alice"), Row("bob", "coat", "quality"), "# a comment", Row("carol"));

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "2", "--emulator", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, _cli.SubmitCount);
        var report = result.Json();
        Assert.Equal(3, report.GetProperty("total").GetInt32());
        Assert.Equal(3, report.GetProperty("succeeded").GetInt32());
        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["alice", "bob", "carol"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rows, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        Assert.All(rows, r => Assert.Equal(32, r.GetProperty("resultKey").GetString()!.Length));
        foreach (var id in new[] { "alice", "bob", "carol" })
        {
            Assert.True(File.Exists(Path.Combine(Output, $"{id}-0.png")));
            Assert.True(File.Exists(Path.Combine(Output, $"{id}-1.png")));
        }

        Assert.True(File.Exists(Path.Combine(Output, "report.json")));
        var csv = File.ReadAllLines(Path.Combine(Output, "report.csv"));
        Assert.Equal("row,id,status,result_key,task_index,files,error", csv[0]);
        Assert.StartsWith("2,bob,succeeded,", csv[2], StringComparison.Ordinal);
        Assert.Contains("bob-0.png;bob-1.png", csv[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_failing_row_reports_it_and_is_exit_code_2()
    {
        _cli.Emulator.Images.MarkGenerationFailure("https://example.com/torn.jpg");
        var manifest = Manifest(Row("alice"), Row("bob", "torn"));

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("1 of 2 rows succeeded, 1 failed", result.StdOut, StringComparison.Ordinal);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "report.json")))!;
        var bob = report["rows"]![1]!;
        Assert.Equal("failed", (string?)bob["status"]);
        Assert.False(string.IsNullOrEmpty((string?)bob["error"]));
        Assert.Empty(bob["files"]!.AsArray());
        Assert.False(File.Exists(Path.Combine(Output, "bob-0.png")));
    }

    [Fact]
    public async Task A_json_manifest_works_like_a_csv_one()
    {
        var manifest = _folder.File("manifest.json");
        File.WriteAllText(manifest, """
            [
              { "id": "dress", "model": "https://example.com/m.jpg", "full_body": "https://example.com/dress.jpg", "mode": "quality", "kind": "worn-by-model" },
              { "model": "https://example.com/m.jpg", "lower": "https://example.com/jeans.jpg" },
            ]
            """);

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["dress", "row2"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.True(File.Exists(Path.Combine(Output, "row2-0.png")));

        // The JSON row's mode and kind reached the service; the second row has the defaults.
        var tasks = SubmittedTasks.Of(_cli.Emulator);
        var dress = tasks.Single(t => t["full_image"] is not null);
        Assert.Equal("https://example.com/dress.jpg", (string?)dress["full_image"]!["url"]);
        Assert.Equal((int)GarmentKind.WornByModel, (int)dress["full_image"]!["type"]!);
        Assert.Equal((int)InferenceMode.Quality, (int)dress["inferenceMode"]!);
        var jeans = tasks.Single(t => t["lower_image"] is not null);
        Assert.Equal((int)GarmentKind.FlatLay, (int)jeans["lower_image"]!["type"]!);
        Assert.Equal((int)InferenceMode.Fast, (int)jeans["inferenceMode"]!);
    }

    [Fact]
    public async Task A_rerun_waits_for_recorded_jobs_and_submits_only_the_rest()
    {
        var manifest = Manifest(Row("a"), Row("b"), Row("c"));
        var first = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--emulator");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, _cli.SubmitCount);

        // As if the first run had stopped after submitting two of its three jobs: the state file lists only those.
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        var batches = state["batches"]!.AsArray();
        var lost = batches.Single(b => (int)b!["inputIndices"]![0]! == 2)!;
        batches.Remove(lost);
        File.WriteAllText(statePath, state.ToJsonString());
        foreach (var file in Directory.GetFiles(Output, "*.png"))
        {
            File.Delete(file);
        }

        var second = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--emulator", "--json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(4, _cli.SubmitCount); // only row c again
        Assert.Contains("Resuming: 2 jobs", second.StdErr, StringComparison.Ordinal);
        var report = second.Json();
        Assert.Equal(1, report.GetProperty("submittedJobs").GetInt32());
        Assert.Equal(2, report.GetProperty("resumedJobs").GetInt32());
        Assert.Equal(6, Directory.GetFiles(Output, "*.png").Length);

        var third = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--emulator");
        Assert.Equal(0, third.ExitCode);
        Assert.Equal(4, _cli.SubmitCount); // everything recorded: nothing submitted
    }

    [Fact]
    public async Task A_row_whose_image_cannot_be_saved_fails_alone_and_the_run_goes_on()
    {
        var manifest = Manifest(Row("alice"), Row("bob"));
        Directory.CreateDirectory(Path.Combine(Output, "alice-0.png")); // a folder where the image would go

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--emulator");

        Assert.Equal(2, result.ExitCode);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "report.json")))!;
        Assert.Equal("failed", (string?)report["rows"]![0]!["status"]);
        Assert.Contains("Saving an image failed", (string?)report["rows"]![0]!["error"], StringComparison.Ordinal);
        Assert.Equal("succeeded", (string?)report["rows"]![1]!["status"]);
        Assert.True(File.Exists(Path.Combine(Output, "bob-0.png")));
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(Output, ".alitryon-state.json")))!["batches"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_result_link_that_is_not_a_url_fails_its_row_alone_and_a_rerun_reports_it_again_without_submitting()
    {
        await using var service = await EndToEnd.IndependentService.StartAsync();
        _cli.Environment["ALITRYON_ENDPOINT"] = service.Address.AbsoluteUri;
        _cli.Environment["ALITRYON_APPCODE"] = EndToEnd.IndependentService.AppCode;
        var manifest = Manifest(Row("alice"), $"bad,https://example.com/broken-model.jpg,https://example.com/shirt.jpg,,,fast", Row("carol"));

        // One job of three tasks: the row with the unusable link fails, the two others keep their images.
        var first = await _cli.RunAsync("run", manifest, "--output", Output, "--json");
        var second = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        foreach (var run in new[] { first, second })
        {
            Assert.Equal(2, run.ExitCode);
            var rows = run.Json().GetProperty("rows").EnumerateArray().ToArray();
            Assert.Equal(["succeeded", "failed", "succeeded"], rows.Select(r => r.GetProperty("status").GetString()));
            var error = rows[1].GetProperty("error").GetString()!;
            Assert.Contains("TryOnInvalidResponseException", error, StringComparison.Ordinal);
            Assert.Contains("uses the scheme 'oss'", error, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(rows[1].GetProperty("resultKey").GetString()));
        }

        Assert.Equal(1, service.Submits); // the rerun submitted nothing
        Assert.True(File.Exists(Path.Combine(Output, "alice-0.png")));
        Assert.True(File.Exists(Path.Combine(Output, "carol-0.png")));
    }

    [Fact]
    public async Task Ctrl_c_while_submits_are_answered_records_every_job_created_and_a_rerun_submits_none_again()
    {
        _cli.Emulator.Faults.AddAlways(AliTryOn.Testing.TryOnEmulatorOperation.Submit, AliTryOn.Testing.TryOnEmulatorFault.Latency(TimeSpan.FromMinutes(5), afterProcessing: true));
        var manifest = Manifest(Row("a"), Row("b"), Row("c"), Row("d"));
        using var cancellation = new CancellationTokenSource();

        // Three jobs in flight at once; each is created, then its answer is held back: Ctrl+C comes meanwhile.
        var run = _cli.RunAsync(["run", manifest, "--output", Output, "--batch-size", "1", "--concurrency", "3", "--emulator"], cancellation.Token);
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (_cli.Emulator.JobCount < 3 && guard.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        Assert.Equal(3, _cli.Emulator.JobCount);
        await cancellation.CancelAsync();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        var batches = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, ".alitryon-state.json")))!["batches"]!.AsArray();
        Assert.Equal(3, batches.Count); // the fourth was never sent, so it is not recorded
        Assert.All(batches, b => Assert.Null((string?)b!["resultKey"]));
        Assert.Empty(Directory.GetFiles(Output, ".*.tmp"));

        _cli.Emulator.Faults.Clear();
        var rerun = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--emulator", "--json");
        Assert.Equal(4, _cli.SubmitCount); // only the row never sent
        var rows = rerun.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["unknown", "unknown", "unknown", "succeeded"], rows.Select(r => r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_state_save_that_fails_still_names_the_job_it_was_saving()
    {
        var manifest = Manifest(Row("alice"));
        var state = _folder.File("state");
        Directory.CreateDirectory(state); // the save's move onto it fails

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--state", state, "--emulator");

        Assert.Equal(1, result.ExitCode);
        var key = Assert.Single(_cli.Emulator.Requests, r => r.CreatedJob).ResultKey!;
        Assert.Contains($"as job {key}", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_file_of_another_manifest_is_refused()
    {
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Row("a")), "--output", Output, "--emulator")).ExitCode);

        var result = await _cli.RunAsync("run", Manifest(Row("a"), Row("b")), "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("belongs to another manifest", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, _cli.SubmitCount);
    }

    [Theory]
    [InlineData("id,model,upper,colour\nx,https://example.com/m.jpg,https://example.com/s.jpg,red", "unknown column 'colour'")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,", "line 2: no garment")]
    [InlineData("model,upper\nnot-a-url,https://example.com/s.jpg", "line 2: model 'not-a-url'")]
    [InlineData("id,model,upper\nx,https://example.com/m.jpg,https://example.com/s.jpg\nx,https://example.com/m.jpg,https://example.com/s.jpg", "id 'x' on more than one row")]
    public async Task An_invalid_manifest_is_exit_code_1_naming_the_line(string contents, string message)
    {
        var manifest = _folder.File("bad.csv");
        File.WriteAllText(manifest, contents);

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_cli.Emulator.Requests);
    }

    public void Dispose() => _folder.Dispose();
}
