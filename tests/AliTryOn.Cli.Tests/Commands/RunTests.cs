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

    /// <summary>Points the tool at a new stand-in for the service, written from the contract, on loopback.</summary>
    private async Task<EndToEnd.IndependentService> UseIndependentServiceAsync()
    {
        var service = await EndToEnd.IndependentService.StartAsync();
        _cli.Use(service);
        return service;
    }

    /// <summary>
    /// <see cref="UseIndependentServiceAsync"/>, holding each submit's answer (its job made first) until the test releases
    /// a permit of the semaphore for it.
    /// </summary>
    private async Task<(EndToEnd.IndependentService Service, SemaphoreSlim Held)> UseServiceHoldingSubmitsAsync()
    {
        var service = await UseIndependentServiceAsync();
        var held = new SemaphoreSlim(0);
        service.HeldSubmits = held;
        return (service, held);
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
        Assert.Contains("bob-0.png|bob-1.png", csv[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_whose_image_fails_to_download_keeps_its_other_image_and_the_other_rows_are_saved()
    {
        var manifest = Manifest(Row("alice"), Row("bob"), Row("carol"));
        _cli.Emulator.Faults.Add(AliTryOn.Testing.TryOnEmulatorOperation.DownloadResult, AliTryOn.Testing.TryOnEmulatorFault.ServiceError(404, 404));

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        Assert.Equal(2, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToArray();
        var failed = Assert.Single(rows, r => r.GetProperty("status").GetString() == "failed");
        Assert.StartsWith("Download failed (TryOnDownloadException)", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(failed.GetProperty("files").EnumerateArray());
        Assert.Equal(2, rows.Count(r => r.GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(5, Directory.GetFiles(Output, "*.png").Length);
        Assert.Empty(Directory.GetFiles(Output, "*.tmp"));
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
        Assert.EndsWith("Its job is recorded, so running again waits for that job rather than submit the row again; to try the row again (a new job, billed again), give it a new id in the manifest.", (string?)bob["error"], StringComparison.Ordinal);
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
        await using var service = await UseIndependentServiceAsync();
        var manifest = Manifest(Row("a"), Row("b"), Row("c"));
        var first = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, service.Submits);

        // As if the first run had stopped after submitting two of its three jobs: the state file lists only those.
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        var batches = state["batches"]!.AsArray();
        batches.Remove(batches.Single(b => (string?)b!["rows"]![0]!["id"] == "c"));
        File.WriteAllText(statePath, state.ToJsonString());
        foreach (var file in Directory.GetFiles(Output, "*.png"))
        {
            File.Delete(file);
        }

        var second = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(4, service.Submits); // only row c again
        Assert.Contains("Resuming: 2 jobs", second.StdErr, StringComparison.Ordinal);
        var report = second.Json();
        Assert.Equal(1, report.GetProperty("submittedJobs").GetInt32());
        Assert.Equal(2, report.GetProperty("resumedJobs").GetInt32());
        Assert.Equal(3, Directory.GetFiles(Output, "*.png").Length);

        var third = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1");
        Assert.Equal(0, third.ExitCode);
        Assert.Equal(4, service.Submits); // everything recorded: nothing submitted
    }

    [Fact]
    public async Task A_state_file_of_version_2_as_the_tool_wrote_it_before_local_images_is_resumed()
    {
        await using var service = await UseIndependentServiceAsync();
        var manifest = Manifest(Row("a"), Row("b"));
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1")).ExitCode);
        Assert.Equal(2, service.Submits);

        // Version 2 recorded each row's task in the SDK's JSON form: the same shape, without content hashes.
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        Assert.Equal(3, (int)state["version"]!);
        state["version"] = 2;
        foreach (var batch in state["batches"]!.AsArray())
        {
            var task = batch!["rows"]![0]!["task"]!.AsObject();
            Assert.Null((string?)task["localImagesSha256"]);
            task.Remove("localImagesSha256");
        }

        File.WriteAllText(statePath, state.ToJsonString());

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, service.Submits);
        Assert.Equal(2, result.Json().GetProperty("resumedJobs").GetInt32());
    }

    [Fact]
    public async Task Rows_added_or_changed_after_an_interruption_are_new_work_and_unchanged_rows_keep_their_jobs()
    {
        await using var service = await UseIndependentServiceAsync();
        var first = await _cli.RunAsync("run", Manifest(Row("a"), Row("b"), Row("c")), "--output", Output, "--batch-size", "2", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(2, service.Submits); // [a, b] and [c]
        var before = first.Json().GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("resultKey").GetString());

        // b changes its garment, d is added: a and c keep their jobs; b (changed) and d (new) are submitted.
        var result = await _cli.RunAsync("run", Manifest(Row("a"), Row("b", "coat"), Row("c"), Row("d")), "--output", Output, "--batch-size", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, service.Submits);
        Assert.Contains("no longer in the manifest", result.StdErr, StringComparison.Ordinal);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["a", "b", "c", "d"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rows, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        Assert.Equal(before["a"], rows[0].GetProperty("resultKey").GetString());
        Assert.Equal(before["c"], rows[2].GetProperty("resultKey").GetString());
        Assert.Equal("job-3", rows[1].GetProperty("resultKey").GetString()); // b, changed, and d, new, in one new job
        Assert.Equal("job-3", rows[3].GetProperty("resultKey").GetString());
    }

    [Fact]
    public async Task Rows_without_ids_keep_their_jobs_when_rows_are_inserted_before_them_or_reordered()
    {
        await using var service = await UseIndependentServiceAsync();
        var path = _folder.File("no-ids.csv");
        string NoIds(params string[] ids) => string.Join('\n', ["model,upper", .. ids.Select(id => $"https://example.com/{id}-model.jpg,https://example.com/shirt.jpg")]);
        File.WriteAllText(path, NoIds("a", "b", "a"));
        var first = await _cli.RunAsync("run", path, "--output", Output, "--batch-size", "1", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, service.Submits);
        var keys = first.Json().GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("resultKey").GetString()).ToArray();

        // A new row at the top shifts every row's default id (row<N>); b and the two a's move. Nothing they had is billed again.
        File.WriteAllText(path, NoIds("x", "a", "b", "a"));
        var check = await _cli.RunAsync("check", path, "--output", Output, "--json");
        var result = await _cli.RunAsync("run", path, "--output", Output, "--batch-size", "1", "--json");

        Assert.Equal(3, check.Json().GetProperty("recordedRows").GetInt32()); // check says so before anything is sent
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, service.Submits); // x only
        Assert.DoesNotContain("no longer in the manifest", result.StdErr, StringComparison.Ordinal);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["row1", "row2", "row3", "row4"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([keys[0], keys[1], keys[2]], rows[1..].Select(r => r.GetProperty("resultKey").GetString()));
        Assert.Equal(4, rows.Select(r => r.GetProperty("resultKey").GetString()).Distinct().Count());

        // Reordered: still nothing billed again.
        File.WriteAllText(path, NoIds("b", "a", "x", "a"));
        var reordered = await _cli.RunAsync("run", path, "--output", Output, "--batch-size", "1");
        Assert.Equal(0, reordered.ExitCode);
        Assert.Equal(4, service.Submits);
    }

    [Fact]
    public async Task A_row_without_an_id_that_moved_never_takes_the_images_of_another_task_of_its_job()
    {
        await using var service = await UseIndependentServiceAsync();
        var path = _folder.File("no-ids.csv");
        string NoIds(params string[] ids) => string.Join('\n', ["model,upper", .. ids.Select(id => $"https://example.com/{id}-model.jpg,https://example.com/shirt.jpg")]);
        File.WriteAllText(path, NoIds("a", "b")); // one job, a its task 0, b its task 1
        Assert.Equal(0, (await _cli.RunAsync("run", path, "--output", Output)).ExitCode);

        // The links have expired since, and a row above them renames a to row2, the id b had in the last report.
        service.LinksExpired = true;
        File.WriteAllText(path, NoIds("x", "a", "b"));
        var result = await _cli.RunAsync("run", path, "--output", Output, "--json");

        var a = result.Json().GetProperty("rows")[1];
        Assert.Equal(0, a.GetProperty("taskIndex").GetInt32());
        Assert.Equal("failed", a.GetProperty("status").GetString()); // not "succeeded" with b's image
        Assert.Empty(a.GetProperty("files").EnumerateArray());
    }

    [Fact]
    public async Task A_row_without_an_id_left_unknown_and_moved_is_told_the_id_the_state_file_has_for_it()
    {
        await using var service = await UseIndependentServiceAsync();
        var path = _folder.File("no-ids.csv");
        string NoIds(params string[] ids) => string.Join('\n', ["model,upper", .. ids.Select(id => $"https://example.com/{id}-model.jpg,https://example.com/shirt.jpg")]);
        File.WriteAllText(path, NoIds("a", "b"));
        Assert.Equal(0, (await _cli.RunAsync("run", path, "--output", Output, "--batch-size", "1")).ExitCode);
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        state["batches"]!.AsArray().Single(b => (string?)b!["rows"]![0]!["id"] == "row2")!["resultKey"] = null; // b's key never came
        File.WriteAllText(statePath, state.ToJsonString());

        File.WriteAllText(path, NoIds("x", "a", "b"));
        var result = await _cli.RunAsync("run", path, "--output", Output, "--batch-size", "1", "--json");

        var b = result.Json().GetProperty("rows")[2];
        Assert.Equal("unknown", b.GetProperty("status").GetString());
        Assert.Contains("whose rows hold \"id\": \"row2\"", b.GetProperty("error").GetString(), StringComparison.Ordinal); // row3 now
    }

    [Fact]
    public async Task A_service_refusal_names_the_manifests_row_not_the_task_index_of_the_run()
    {
        // Rows 1 and 2 are refused before the run (files missing), so row 4 is the run's second task: tasks[1].
        _folder.Png("ok.png", 600, 800);
        var manifest = _folder.File("refused.csv");
        File.WriteAllLines(manifest, [
            "id,model,upper",
            "a,missing.png,https://example.com/g.jpg",
            "b,missing2.png,https://example.com/g.jpg",
            "c,https://example.com/c.jpg,https://example.com/g.jpg",
            "d,https://example.com/d.jpg,https://example.com/bad.jpg",
            "e,ok.png,https://example.com/g.jpg",
        ]);
        _cli.Emulator.Images.MarkInvalid("https://example.com/bad.jpg");

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator", "--json");

        var row = result.Json().GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "d");
        var error = row.GetProperty("error").GetString()!;
        Assert.StartsWith("TryOnInvalidImageException: row 4 (d): the service refused one of this task's images (https://example.com/d.jpg, https://example.com/bad.jpg)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("tasks[", error, StringComparison.Ordinal);
        Assert.Contains("row 4 (d): failed", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000", "1", true)]
    [InlineData("10", "1", false)]
    public async Task A_concurrency_the_rate_limit_cannot_serve_within_the_total_timeout_is_noted_at_the_start(string concurrency, string perSecond, bool noted)
    {
        await using var service = await UseIndependentServiceAsync();
        _cli.Environment["AliTryOn__RateLimit__RequestsPerSecond"] = perSecond;
        _cli.Environment["AliTryOn__TotalTimeout"] = "00:00:30";
        var manifest = Manifest(Row("a"));

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--concurrency", concurrency);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(noted, result.StdErr.Contains("longer than TotalTimeout (00:30): a batch still waiting then fails unsent (nothing is billed; the next run submits it). Raise AliTryOn:TotalTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recorded_job_the_service_does_not_know_fails_its_rows_with_the_reason()
    {
        var manifest = Manifest(Row("a"));
        await using (await UseIndependentServiceAsync())
        {
            Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output)).ExitCode);
            File.Delete(Path.Combine(Output, "report.json"));
            File.Delete(Path.Combine(Output, "a-0.png")); // its image saved, the row would be kept
        }

        // Another service (a new instance) does not know the recorded job: that will not change by running again.
        await using var other = await UseIndependentServiceAsync();
        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(0, other.Submits);
        var row = result.Json().GetProperty("rows")[0];
        Assert.Equal("failed", row.GetProperty("status").GetString());
        Assert.Contains("TryOnJobNotFoundException", row.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Run again", row.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_does_not_fetch_again_the_images_an_earlier_run_saved_of_the_same_job()
    {
        // The chaos test's finding: re-running a finished folder of 1,500 rows fetched its 1,418 images again.
        await using var service = await UseIndependentServiceAsync();
        var manifest = Manifest(Row("a"), Row("b"));
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output)).ExitCode);
        var fetched = service.ImageRequests;
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "report.json")))!["rows"]!.ToJsonString();
        File.Delete(Path.Combine(Output, "b-0.png")); // one row's image is gone: that row is fetched again

        var result = await _cli.RunAsync("run", manifest, "--output", Output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(fetched + 1, service.ImageRequests);
        Assert.Contains("row 1 (a): succeeded, 1 image, kept from an earlier run (its images were saved already)", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("row 2 (b): succeeded, 1 image", result.StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Output, "b-0.png")));
        Assert.Equal(report, JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "report.json")))!["rows"]!.ToJsonString());
    }

    [Fact]
    public async Task A_rerun_never_makes_the_report_worse()
    {
        await using var service = await UseIndependentServiceAsync();
        var manifest = Manifest(Row("a"));
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output)).ExitCode);

        // The links have expired since: the job's images are still there, so none is fetched (it would fail), and the
        // row stays succeeded.
        service.LinksExpired = true;
        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("succeeded", result.Json().GetProperty("rows")[0].GetProperty("status").GetString());
        Assert.Equal("succeeded", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "report.json")))!["rows"]![0]!["status"]);

        // The progress line says what the report says, and why.
        Assert.Contains("row 1 (a): succeeded, 1 image, kept from an earlier run", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("row 1 (a): failed", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_resumed_after_ctrl_c_does_not_fetch_again_the_images_the_stopped_run_saved()
    {
        // One job of two rows of two images each, fetched one at a time, each held until the test lets it come.
        await using var service = await UseIndependentServiceAsync();
        service.ResultsPerTask = 2;
        using var held = new SemaphoreSlim(0);
        service.HeldImages = held;
        var manifest = Manifest(Row("a"), Row("b"));
        using var cancellation = new CancellationTokenSource();
        var run = _cli.RunAsync(["run", manifest, "--output", Output, "--downloads", "1"], cancellation.Token);

        // Three images come (a's two, b's first); Ctrl+C while b's second is under way. No report is written.
        var guard = System.Diagnostics.Stopwatch.StartNew();
        for (var n = 1; n <= 4; n++)
        {
            while (service.ImageRequests < n && !run.IsCompleted && guard.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(10);
            }

            Assert.Equal(n, service.ImageRequests);
            if (n < 4)
            {
                held.Release();
            }
        }

        await cancellation.CancelAsync();
        Assert.Equal(130, (await run).ExitCode);
        Assert.Equal(["a-0.png", "a-1.png", "b-0.png"], Directory.GetFiles(Output, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(Output, "report.json")));
        service.HeldImages = null;

        // The links have expired since: row a's images are all on disk, so it succeeds without a fetch; row b's second
        // image cannot be had, and its first is not asked for again (it is listed, as saved).
        service.LinksExpired = true;
        var asked = service.ImagesAsked.Count;
        var expired = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.Equal(2, expired.ExitCode);
        Assert.Equal(["job-1-1-1.png"], service.ImagesAsked.Skip(asked));
        Assert.Equal(1, service.Submits);
        var rows = expired.Json().GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal("succeeded", rows[0].GetProperty("status").GetString());
        Assert.Equal(["a-0.png", "a-1.png"], rows[0].GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("failed", rows[1].GetProperty("status").GetString());
        Assert.Equal(["b-0.png"], rows[1].GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("row 1 (a): succeeded, 2 images, kept from an earlier run (its images were saved already)", expired.StdErr, StringComparison.Ordinal);

        // With its links back, the next run fetches only b's missing image, and reports every file.
        service.LinksExpired = false;
        asked = service.ImagesAsked.Count;
        var resumed = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(["job-1-1-1.png"], service.ImagesAsked.Skip(asked));
        var report = resumed.Json();
        Assert.Equal(2, report.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, report.GetProperty("submittedJobs").GetInt32());
        Assert.Equal(
            [["a-0.png", "a-1.png"], ["b-0.png", "b-1.png"]],
            report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToArray()));
        Assert.Equal(1, service.Submits);
    }

    [Fact]
    public async Task A_run_killed_outright_after_saving_images_leaves_them_recorded_for_the_next_run()
    {
        // The first run ends, but as if killed just before its report and the fold of its journal: they are undone.
        await using var service = await UseIndependentServiceAsync();
        var manifest = Manifest(Row("a"));
        var statePath = Path.Combine(Output, ".alitryon-state.json");
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output)).ExitCode);
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        var saved = Assert.Single(state["batches"]![0]!["saved"]!.AsArray())!.DeepClone();
        Assert.Equal("a-0.png", (string?)saved["file"]);
        state["batches"]![0]!.AsObject().Remove("saved");
        File.WriteAllText(statePath, state.ToJsonString());
        File.WriteAllText(statePath + ".journal", new JsonObject { ["rows"] = null, ["batch"] = null, ["resultKey"] = "job-1", ["saved"] = saved }.ToJsonString() + "\n");
        File.Delete(Path.Combine(Output, "report.json"));
        File.Delete(Path.Combine(Output, "report.csv"));
        service.LinksExpired = true;
        var asked = service.ImagesAsked.Count;

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(asked, service.ImagesAsked.Count);
        Assert.Equal(["a-0.png"], result.Json().GetProperty("rows")[0].GetProperty("files").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task An_image_recorded_as_saved_but_cut_short_or_gone_since_is_fetched_again()
    {
        await using var service = await UseIndependentServiceAsync();
        var manifest = Manifest(Row("a"), Row("b"), Row("c"));
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--concurrency", "1")).ExitCode); // jobs 1, 2, 3
        File.Delete(Path.Combine(Output, "report.json")); // as if the run had stopped before its report
        File.WriteAllBytes(Path.Combine(Output, "a-0.png"), [0x89]); // a power cut left it short
        File.Delete(Path.Combine(Output, "b-0.png"));
        var asked = service.ImagesAsked.Count;

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(["job-1-0-0.png", "job-2-0-0.png"], service.ImagesAsked.Skip(asked).Order(StringComparer.Ordinal));
        Assert.Equal(8, new FileInfo(Path.Combine(Output, "a-0.png")).Length);
        Assert.Contains("row 3 (c): succeeded, 1 image, kept from an earlier run (its images were saved already)", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_saved_for_another_job_of_the_same_id_is_never_kept_for_this_one()
    {
        await using var service = await UseIndependentServiceAsync();
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Row("a")), "--output", Output)).ExitCode); // job-1 saves a-0.png
        var report = File.ReadAllText(Path.Combine(Output, "report.json"));

        // The row changed: new work, whose job saves its own image over the old one; the run stops before its report,
        // so the last report still lists a-0.png as job-1's.
        var asked = service.ImagesAsked.Count;
        Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Row("a", "coat")), "--output", Output)).ExitCode);
        Assert.Equal(["job-2-0-0.png"], service.ImagesAsked.Skip(asked));
        File.WriteAllText(Path.Combine(Output, "report.json"), report);

        // Changed back, the row is job-1's again; a-0.png now holds job-2's image, so job-1's is fetched again.
        asked = service.ImagesAsked.Count;
        var back = await _cli.RunAsync("run", Manifest(Row("a")), "--output", Output);

        Assert.True(back.ExitCode == 0, back.StdErr);
        Assert.Equal(["job-1-0-0.png"], service.ImagesAsked.Skip(asked));
        Assert.Equal(2, service.Submits);
    }

    [Fact]
    public async Task Rerunning_a_finished_emulator_run_is_refused_and_keeps_its_report()
    {
        var manifest = Manifest(Row("a"), Row("b"));
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output, "--emulator")).ExitCode);
        var report = File.ReadAllText(Path.Combine(Output, "report.json"));

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("jobs of the in-process emulator of an earlier --emulator run", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(report, File.ReadAllText(Path.Combine(Output, "report.json")));
        Assert.Equal(1, _cli.SubmitCount); // the first run's one job of two rows; nothing since
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
        // Named as the file to be written, not as its hidden temporary.
        Assert.Contains($"Saving {Path.Combine(Output, "alice-0.png")} failed", (string?)report["rows"]![0]!["error"], StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", (string?)report["rows"]![0]!["error"], StringComparison.Ordinal);
        Assert.Equal("succeeded", (string?)report["rows"]![1]!["status"]);
        Assert.True(File.Exists(Path.Combine(Output, "bob-0.png")));
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(Output, ".alitryon-state.json")))!["batches"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_result_link_that_is_not_a_url_fails_its_row_alone_and_a_rerun_reports_it_again_without_submitting()
    {
        await using var service = await UseIndependentServiceAsync();
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

        // Under --emulator those jobs ended with the emulator: a re-run is refused rather than submit them again.
        _cli.Emulator.Faults.Clear();
        var rerun = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--emulator");
        Assert.Equal(1, rerun.ExitCode);
        Assert.Equal(3, _cli.SubmitCount);
    }

    [Fact]
    public async Task A_row_whose_download_hangs_does_not_hold_up_saving_the_other_rows_images()
    {
        // The first image asked for takes five minutes to come; the other rows' images come at once.
        _cli.Emulator.Faults.Add(AliTryOn.Testing.TryOnEmulatorOperation.DownloadResult, AliTryOn.Testing.TryOnEmulatorFault.Latency(TimeSpan.FromMinutes(5)));
        var manifest = Manifest(Row("a"), Row("b"), Row("c"), Row("d"));
        using var cancellation = new CancellationTokenSource();

        var run = _cli.RunAsync(["run", manifest, "--output", Output, "--batch-size", "1", "--concurrency", "4", "--emulator"], cancellation.Token);
        string[] Saved() => Directory.Exists(Output) ? Directory.GetFiles(Output, "*-0.png") : [];
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (Saved().Length < 3 && !run.IsCompleted && guard.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        Assert.Equal(3, Saved().Length); // saved one row after another, every row after the slow one would wait for it
        await cancellation.CancelAsync();
        var result = await run;
        Assert.Equal(130, result.ExitCode);
        Assert.Empty(Directory.GetFiles(Output, ".*.tmp"));
    }

    [Fact]
    public async Task A_state_save_that_fails_before_a_submit_stops_the_run_with_nothing_sent()
    {
        var manifest = Manifest(Row("alice"));
        var state = _folder.File("state");

        // Written before anything is sent; then, while the tool connects, a folder takes its place (a disk that fills
        // up, a file removed under the tool), so the record made before the submit fails.
        _cli.OnConnect = () => BreakState(state);
        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--state", state, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(_cli.Emulator.Requests, r => r.CreatedJob);
        Assert.Equal(0, _cli.Emulator.JobCount);
    }

    [Fact]
    public async Task A_state_save_that_fails_after_a_submit_still_names_the_job_it_was_saving()
    {
        var (service, held) = await UseServiceHoldingSubmitsAsync();
        await using var _ = service;
        using var __ = held;
        var manifest = Manifest(Row("alice"));
        var state = _folder.File("state");

        var run = _cli.RunAsync("run", manifest, "--output", Output, "--state", state);
        await UntilAsync(() => service.Submits >= 1 || run.IsCompleted);

        // The job exists, recorded without its key; before its answer arrives, the state can no longer be written.
        BreakState(state);
        held.Release(10);
        var result = await run;

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(1, service.Submits);
        Assert.Contains("as job job-1", result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"error: The state file '{state}' could not be saved, so the run stopped: ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_save_that_fails_as_a_cancelled_run_stops_is_an_error_naming_the_job_not_a_cancellation()
    {
        var (service, held) = await UseServiceHoldingSubmitsAsync();
        await using var _ = service;
        using var __ = held;
        var manifest = Manifest(Row("alice"), Row("bob"));
        var state = _folder.File("state");
        using var cancellation = new CancellationTokenSource();

        // Alice's job is made and waited for; Bob's submit is out, its answer held.
        var run = _cli.RunAsync(["run", manifest, "--output", Output, "--state", state, "--batch-size", "1"], cancellation.Token);
        held.Release();
        // Alice's key saved: no save left but bob's.
        await UntilAsync(() => (service.Submits >= 2 && RecordedState.Batches(state).Any(b => (string?)b!["resultKey"] is not null)) || run.IsCompleted);

        // Ctrl+C: alice's wait ends at once. Bob's answer comes within the grace, and the state cannot take its key.
        await cancellation.CancelAsync();
        BreakState(state);
        held.Release();
        var result = await run;

        Assert.Equal(2, service.Submits);
        Assert.Equal(1, result.ExitCode); // not 130, with "Submitted jobs are recorded", which would not be true
        Assert.Contains("as job job-2", result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"error: The state file '{state}' could not be saved, so the run stopped: ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Submitted jobs are recorded", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_deletes_the_temporary_images_and_reports_a_killed_run_left_and_nothing_else()
    {
        var manifest = Manifest(Row("alice"), Row("bob-2"));
        Directory.CreateDirectory(Output);
        var guid = Guid.NewGuid().ToString("N");
        // What a run killed while saving leaves: hidden temporary files named after their targets.
        string[] leftovers = [$".alice-0.{guid}.tmp", $".bob-2-3.{guid}.tmp", $".report.json.{guid}.tmp", $".report.csv.{guid}.tmp"];
        // Not this run's: another manifest's row, a name that is not a temporary of ours, a user's own file.
        string[] others = [$".carol-0.{guid}.tmp", $".alice-x.{guid}.tmp", ".alice-0.notes.tmp", "alice-0.tmp"];
        foreach (var name in leftovers.Concat(others))
        {
            File.WriteAllText(Path.Combine(Output, name), string.Empty);
        }

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.All(leftovers, name => Assert.False(File.Exists(Path.Combine(Output, name)), name));
        Assert.All(others, name => Assert.True(File.Exists(Path.Combine(Output, name)), name));
    }

    [Fact]
    public async Task A_batch_the_service_refused_leaves_no_record_and_only_the_jobs_made_are_recorded()
    {
        _cli.Emulator.Faults.Add(AliTryOn.Testing.TryOnEmulatorOperation.Submit, AliTryOn.Testing.TryOnEmulatorFault.QuotaExhausted());
        var manifest = Manifest(Row("alice"), Row("bob"));

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--batch-size", "1", "--concurrency", "1", "--emulator");

        Assert.Equal(2, result.ExitCode);
        Assert.True(result.StdOut.Contains("(alice) failed", StringComparison.Ordinal), result.StdOut + result.StdErr);
        var batch = Assert.Single(JsonNode.Parse(File.ReadAllText(Path.Combine(Output, ".alitryon-state.json")))!["batches"]!.AsArray())!;
        Assert.Equal(Assert.Single(_cli.Emulator.Requests, r => r.CreatedJob).ResultKey, (string?)batch["resultKey"]);
        Assert.Equal("bob", (string?)Assert.Single(batch["rows"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task A_state_path_that_is_a_folder_is_refused_before_anything_is_sent()
    {
        var manifest = Manifest(Row("alice"));
        var state = _folder.File("state");
        Directory.CreateDirectory(state);

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--state", state, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--state '{state}' is a folder; give the path of a file.", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, _cli.SubmitCount);
    }

    [Fact]
    public async Task A_state_file_that_cannot_be_written_is_found_before_anything_is_sent()
    {
        var manifest = Manifest(Row("alice"));
        var notAFolder = _folder.File("plain-file");
        File.WriteAllText(notAFolder, "x");
        var state = Path.Combine(notAFolder, "state.json");

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--state", state, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The state file '{state}' cannot be written, so nothing was submitted: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("Give --state a file in a folder you can write.", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, _cli.SubmitCount);
    }

    [Fact]
    public async Task An_existing_state_file_is_left_as_it_was_by_a_run_that_stops_before_sending_anything()
    {
        var manifest = Manifest(Row("alice"));
        Directory.CreateDirectory(Output);
        var state = Path.Combine(Output, ".alitryon-state.json");
        const string Written = "{ \"version\": 2, \"emulator\": false, \"batches\": [] }";
        File.WriteAllText(state, Written);

        var result = await _cli.RunAsync("run", manifest, "--output", Output); // no AppCode: stops at connecting

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("AppCode", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(Written, File.ReadAllText(state)); // checked for writing, not rewritten (an older tool still reads it)
        Assert.Equal([state, state + ".lock"], Directory.GetFiles(Output).Order()); // no temporary file left
    }

    [Theory]
    [InlineData("run")]
    [InlineData("download")]
    public async Task An_output_that_is_a_file_is_refused_naming_the_flag(string command)
    {
        var file = _folder.File("plain-file");
        File.WriteAllText(file, "x");
        string[] args = command == "run"
            ? ["run", Manifest(Row("alice")), "--output", file, "--emulator"]
            : ["download", "some-key", "--output", file, "--emulator"];

        var result = await _cli.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--output '{file}' is a file; give a folder (it is created if missing).", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_cli.Emulator.Requests);
    }

    [Fact]
    public async Task A_row_whose_submit_was_interrupted_before_its_key_arrived_says_what_can_be_done_and_is_never_submitted_again()
    {
        var (service, held) = await UseServiceHoldingSubmitsAsync();
        await using var _ = service;
        using var __ = held;
        var manifest = Manifest(Row("alice"));
        using var cancellation = new CancellationTokenSource();

        var run = _cli.RunAsync(["run", manifest, "--output", Output], cancellation.Token);
        await UntilAsync(() => service.Submits >= 1);

        await cancellation.CancelAsync(); // the job exists; its answer never reached the tool
        Assert.Equal(130, (await run).ExitCode);
        held.Release(10);

        var rerun = await _cli.RunAsync("run", manifest, "--output", Output, "--json");

        Assert.Equal(2, rerun.ExitCode);
        Assert.Equal(1, service.Submits);
        var row = Assert.Single(rerun.Json().GetProperty("rows").EnumerateArray());
        Assert.Equal("unknown", row.GetProperty("status").GetString());
        var error = row.GetProperty("error").GetString()!;
        Assert.Contains("so no run can wait for it. To submit the row again (billed again if that job exists), remove its batch from ", error, StringComparison.Ordinal);
        Assert.Contains(".alitryon-state.json: the one with \"resultKey\": null whose rows hold \"id\": \"alice\".", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Run again to wait", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_of_a_state_file_in_use_is_refused_before_it_submits_anything()
    {
        var (service, held) = await UseServiceHoldingSubmitsAsync();
        await using var _ = service;
        using var __ = held;
        var manifest = Manifest(Row("alice"));
        var first = _cli.RunAsync("run", manifest, "--output", Output);
        await UntilAsync(() => service.Submits >= 1);

        // The same rows, the same state file (named as --state from another output folder): it would bill them twice.
        var second = _cli.RunAsync("run", manifest, "--output", _folder.File("elsewhere"), "--state", Path.Combine(Output, ".alitryon-state.json"));
        await UntilAsync(() => second.IsCompleted || service.Submits >= 2);
        held.Release(10);

        var refused = await second;
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"Another run is using the state file '{Path.Combine(Output, ".alitryon-state.json")}'", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, (await first).ExitCode);
        Assert.Equal(1, service.Submits);

        // Once the first run ended, the file is free: a run resumes from it, submitting nothing.
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", Output)).ExitCode);
        Assert.Equal(1, service.Submits);
    }

    /// <summary>Waits, at most 20 seconds, for something another task does.</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && guard.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_state_file_of_the_service_is_refused_under_the_emulator_and_the_other_way_round()
    {
        await using (await UseIndependentServiceAsync())
        {
            Assert.Equal(0, (await _cli.RunAsync("run", Manifest(Row("a")), "--output", Output)).ExitCode);
        }

        var result = await _cli.RunAsync("run", Manifest(Row("a")), "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("records jobs of the service; the in-process emulator cannot wait for them", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, _cli.SubmitCount);
    }

    [Theory]
    [InlineData("""{ "model": "https://example.com/m.jpg", "upper": "https://example.com/s.jpg" }""", "it must be an array of rows", "is a single object; put the rows in [ ]")]
    [InlineData("""[ { "model": 3 } ]""", "is not a manifest at $[0].model (line 1): the value is a number", "each row is an object of strings (id, model, upper, lower, full_body, mode, kind); write a number in quotes")]
    [InlineData("""[ { "model": { "url": "x" } } ]""", "is not a manifest at $[0].model (line 1): the value is an object", "each row is an object of strings (id, model, upper, lower, full_body, mode, kind).")]
    [InlineData("""[ 3 ]""", "is not a manifest at $[0] (line 1): the item is a number", "each row is an object of strings (id, model, upper, lower, full_body, mode, kind).")]
    [InlineData("", "it must be an array of rows", "is empty")]
    public async Task A_json_manifest_that_is_not_an_array_of_rows_names_the_problem(string contents, string message, string detail)
    {
        var path = _folder.File("manifest.json");
        File.WriteAllText(path, contents);

        var result = await _cli.RunAsync("run", path, "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Contains(detail, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("ManifestRow", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_given_as_the_manifest_says_so()
    {
        var result = await _cli.RunAsync("run", _folder.Path, "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is a folder; give the manifest file itself", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id,model,upper,colour\nx,https://example.com/m.jpg,https://example.com/s.jpg,red", "unknown column 'colour'")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,", "line 2: no garment")]
    [InlineData("model,upper\nftp://example.com/m.jpg,https://example.com/s.jpg", "line 2: model is a URL of the scheme 'ftp', which the service cannot fetch")]
    [InlineData("model,upper\nhttp:/example.com/m.jpg,https://example.com/s.jpg", "line 2: model looks like a URL but is not a valid one ('http:/example.com/m.jpg'): write it as http://host/path or https://host/path")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,https//example.com/s.jpg?sig=SECRET", "line 2: upper looks like a URL but is not a valid one ('https//example.com/s.jpg'): write it as")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,https//user:SECRET-pw@example.com/s.jpg", "line 2: upper looks like a URL but is not a valid one ('example.com/s.jpg'): write it as")]
    [InlineData("model,upper\nhttp:/user:SECRET-pw@example.com/m.jpg,https://example.com/s.jpg", "line 2: model looks like a URL but is not a valid one ('example.com/m.jpg'): write it as")]
    [InlineData("model,upper\nhttps://user:SECRET-pw@exa mple.com/m.jpg,https://example.com/s.jpg", "line 2: model looks like a URL but is not a valid one ('exa mple.com/m.jpg'): write it as")]
    [InlineData("id,model,upper\nx,https://example.com/m.jpg,https://example.com/s.jpg\nx,https://example.com/m.jpg,https://example.com/s.jpg", "id 'x' on more than one row")]
    [InlineData("model,upper,upper\nhttps://example.com/m.jpg,https://example.com/coat.jpg,https://example.com/jeans.jpg", "bad.csv line 1: the column 'upper' is given twice")]
    [InlineData("model,upper,Upper\nhttps://example.com/m.jpg,https://example.com/coat.jpg,https://example.com/jeans.jpg", "bad.csv line 1: the column 'upper' is given twice")]
    public async Task An_invalid_manifest_is_exit_code_1_naming_the_line(string contents, string message)
    {
        var manifest = _folder.File("bad.csv");
        File.WriteAllText(manifest, contents);

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", result.StdErr + result.StdOut, StringComparison.Ordinal); // a password or signature in a cell
        Assert.Empty(_cli.Emulator.Requests);
    }

    [Fact]
    public async Task A_json_manifest_with_a_misspelled_property_is_refused_before_anything_is_sent()
    {
        var manifest = _folder.File("manifest.json");
        File.WriteAllText(manifest, """
            [{"id":"a","model":"https://example.com/m.jpg","upper":"https://example.com/coat.jpg","lowre":"https://example.com/jeans.jpg"}]
            """);

        var result = await _cli.RunAsync("run", manifest, "--output", Output, "--emulator");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("manifest.json item 1: unknown property 'lowre'", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_cli.Emulator.Requests);
    }

    [Fact]
    public async Task A_row_with_the_longest_id_is_saved_and_a_temporary_a_killed_run_left_for_it_is_deleted()
    {
        var id = new string('b', 240);
        Directory.CreateDirectory(Output);
        string leftover;
        using (AliTryOn.IO.AtomicFile.Create(Path.Combine(Output, $"{id}-1")))
        {
            leftover = Assert.Single(Directory.GetFiles(Output));
        }

        File.WriteAllText(leftover, "torn");

        var result = await _cli.RunAsync("run", Manifest(Row(id)), "--output", Output, "--emulator");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(Output, $"{id}-0.png")));
        Assert.True(File.Exists(Path.Combine(Output, $"{id}-1.png")));
        Assert.Empty(Directory.GetFiles(Output, ".*.tmp"));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>What a full disk does to the state: a folder takes the place of the state file and of its journal.</summary>
    private static void BreakState(string state)
    {
        foreach (var path in new[] { state, state + ".journal" })
        {
            File.Delete(path);
            Directory.CreateDirectory(path);
        }
    }

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
