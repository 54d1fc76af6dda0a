using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.EndToEnd;

/// <summary>
/// The tool as its own process, stopped by a signal as <c>kill</c>, <c>docker stop</c> and CI time limits stop it:
/// SIGTERM is handled as Ctrl+C, so a job whose submit was in flight is recorded and never submitted again; SIGKILL
/// leaves the run's hold on its state file to the system, which frees it for the next run.
/// </summary>
public sealed class SignalTests : IDisposable
{
    /// <summary>A bound on waits for the process: a hang fails the test instead of blocking the run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Sigterm_while_a_submit_is_answered_records_the_job_exits_143_and_a_rerun_submits_nothing_again()
    {
        await using var service = await IndependentService.StartAsync();
        using var held = new SemaphoreSlim(0);
        service.HeldSubmits = held;
        var (manifest, output) = Manifest();
        using var tool = StartTool(service, "run", manifest, "--output", output);
        var stderr = tool.StandardError.ReadToEndAsync();
        var stdout = tool.StandardOutput.ReadToEndAsync();
        await UntilAsync(tool, () => service.Submits >= 1);

        Assert.Equal(1, service.Submits); // the job exists; its answer is held back
        using (var kill = Process.Start("kill", ["-TERM", tool.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using (var timeout = new CancellationTokenSource(HangGuard))
        {
            await tool.WaitForExitAsync(timeout.Token);
        }

        held.Release(10);
        var errors = await stderr;
        Assert.True(tool.ExitCode == 143, $"exit code {tool.ExitCode}; stderr: {errors}; stdout: {await stdout}");
        Assert.Contains("Cancelled.", errors, StringComparison.Ordinal);
        var batch = Assert.Single(RecordedState.Batches(Path.Combine(output, ".alitryon-state.json")));
        Assert.Null((string?)batch!["resultKey"]); // recorded: its job may exist

        var rerun = await new CliRunner().Use(service).RunAsync("run", manifest, "--output", output);

        Assert.Equal(2, rerun.ExitCode); // its outcome is unknown: not submitted again
        Assert.Equal(1, service.Submits);
    }

    [Fact]
    public async Task A_run_killed_outright_leaves_its_state_file_to_the_next_run_which_submits_nothing_again()
    {
        await using var service = await IndependentService.StartAsync();
        using var held = new SemaphoreSlim(0);
        service.HeldImages = held; // the job is recorded; the run stops in its downloads
        var (manifest, output) = Manifest();
        using var tool = StartTool(service, "run", manifest, "--output", output);
        var stderr = tool.StandardError.ReadToEndAsync();
        var stdout = tool.StandardOutput.ReadToEndAsync();
        await UntilAsync(tool, () => service.ImageRequests >= 1);

        Assert.True(service.ImageRequests >= 1, $"the run did not reach its downloads; stderr: {(tool.HasExited ? await stderr : "(running)")}");
        var during = await new CliRunner().Use(service).RunAsync("run", manifest, "--output", output);
        Assert.Equal(1, during.ExitCode);
        Assert.Contains("Another run is using the state file", during.StdErr, StringComparison.Ordinal);

        tool.Kill(); // SIGKILL: no handler runs, the lock is left to the system
        using (var timeout = new CancellationTokenSource(HangGuard))
        {
            await tool.WaitForExitAsync(timeout.Token);
        }

        service.HeldImages = null;
        held.Release(100);
        var rerun = await new CliRunner().Use(service).RunAsync("run", manifest, "--output", output);

        Assert.True(rerun.ExitCode == 0, rerun.StdErr);
        Assert.Equal(1, service.Submits);
        Assert.True(File.Exists(Path.Combine(output, "alice-0.png")));
    }

    [Fact]
    public async Task A_run_killed_outright_while_a_submit_is_answered_leaves_the_row_unknown_and_the_next_run_submits_nothing_again()
    {
        await using var service = await IndependentService.StartAsync();
        using var held = new SemaphoreSlim(0);
        service.HeldSubmits = held; // the job exists; the tool is killed before it hears of it
        var (manifest, output) = Manifest();
        using var tool = StartTool(service, "run", manifest, "--output", output);
        var stderr = tool.StandardError.ReadToEndAsync();
        var stdout = tool.StandardOutput.ReadToEndAsync();
        await UntilAsync(tool, () => service.Submits >= 1);

        Assert.True(service.Submits == 1, $"the run did not submit; stderr: {(tool.HasExited ? await stderr : "(running)")}");
        tool.Kill(); // SIGKILL (an OOM kill, a power cut): no handler runs
        using (var timeout = new CancellationTokenSource(HangGuard))
        {
            await tool.WaitForExitAsync(timeout.Token);
        }

        held.Release(10);
        var batch = Assert.Single(RecordedState.Batches(Path.Combine(output, ".alitryon-state.json")));
        Assert.Null((string?)batch!["resultKey"]); // recorded before it was sent: its job may exist

        var rerun = await new CliRunner().Use(service).RunAsync("run", manifest, "--output", output);

        Assert.True(rerun.ExitCode == 2, rerun.StdErr + rerun.StdOut); // its outcome is unknown: not submitted again
        Assert.Equal(1, service.Submits);
        Assert.True(rerun.StdOut.Contains("(alice) unknown: An earlier run sent this row's job, or was about to, and never learned whether the service created it", StringComparison.Ordinal), rerun.StdOut + rerun.StdErr);
        Assert.DoesNotContain("TryOnBulkOptions", rerun.StdOut, StringComparison.Ordinal); // the tool's words, not the SDK's
        Assert.Contains("Resuming: 0 jobs from", rerun.StdErr, StringComparison.Ordinal);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
        Assert.Equal((0, 0, 1), ((int)report["resumedJobs"]!, (int)report["submittedJobs"]!, (int)report["unknown"]!));
        Assert.Contains(" 1 batch whose key never arrived will be reported unknown, not submitted again.", rerun.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_killed_outright_under_a_rate_limit_leaves_unknown_only_the_batch_that_went_out()
    {
        await using var service = await IndependentService.StartAsync();
        using var held = new SemaphoreSlim(0);
        service.HeldSubmits = held; // the first batch's job exists; the tool is killed before it hears of it
        var (manifest, output) = Manifest("alice", "bob", "carol");
        // One permit every 10 s: when the first submit arrives, the other two batches are waiting for theirs.
        using var tool = StartTool(service, ("AliTryOn__RateLimit__RequestsPerSecond", "0.1"), "run", manifest, "--output", output, "--batch-size", "1", "--concurrency", "3");
        var stderr = tool.StandardError.ReadToEndAsync();
        var stdout = tool.StandardOutput.ReadToEndAsync();
        await UntilAsync(tool, () => service.Submits >= 1);

        Assert.True(service.Submits == 1, $"the run did not submit; stderr: {(tool.HasExited ? await stderr : "(running)")}");
        tool.Kill();
        using (var timeout = new CancellationTokenSource(HangGuard))
        {
            await tool.WaitForExitAsync(timeout.Token);
        }

        held.Release(10);
        // Only the batch that went out is recorded: the two waiting for a permit were never sent, and left no record.
        var batch = Assert.Single(RecordedState.Batches(Path.Combine(output, ".alitryon-state.json")));
        Assert.Null((string?)batch!["resultKey"]);

        var rerun = await new CliRunner().Use(service).RunAsync("run", manifest, "--output", output, "--batch-size", "1", "--concurrency", "3");

        Assert.True(rerun.ExitCode == 2, rerun.StdErr + rerun.StdOut); // the held batch's row is unknown
        Assert.Equal(3, service.Submits); // the other two rows, submitted once each
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
        Assert.Equal((2, 1, 2), ((int)report["succeeded"]!, (int)report["unknown"]!, (int)report["submittedJobs"]!));
    }

    /// <summary>A manifest of one row per id (one row, alice, by default), and the output folder of its run.</summary>
    private (string Manifest, string Output) Manifest(params string[] ids)
    {
        var manifest = _folder.File("manifest.csv");
        File.WriteAllLines(manifest, ["id,model,upper", .. (ids.Length == 0 ? ["alice"] : ids).Select(id => $"{id},https://example.com/{id}.jpg,https://example.com/shirt.jpg")]);
        return (manifest, _folder.File("out"));
    }

    /// <summary>Waits until <paramref name="reached"/> holds, the tool exits, or <see cref="HangGuard"/> passes.</summary>
    private static async Task UntilAsync(Process tool, Func<bool> reached)
    {
        var guard = Stopwatch.StartNew();
        while (!reached() && !tool.HasExited && guard.Elapsed < HangGuard)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>The tool as users start it: <c>dotnet AliTryOn.Cli.dll …</c>, with the service's address and AppCode in its environment.</summary>
    private static Process StartTool(IndependentService service, params string[] args) => StartTool(service, null, args);

    /// <summary>The tool as users start it, with one more setting in its environment.</summary>
    private static Process StartTool(IndependentService service, (string Name, string Value)? setting, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AliTryOn.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ALITRYON_ENDPOINT"] = service.Address.AbsoluteUri;
        start.Environment["ALITRYON_APPCODE"] = IndependentService.AppCode;
        if (setting is var (name, value))
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The tool did not start.");
    }
}
