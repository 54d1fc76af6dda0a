using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Cli.Tests.Commands;

public sealed class SubmitQueryWaitTests
{
    private const string Model = "https://example.com/model.jpg";
    private const string Shirt = "https://example.com/shirt.jpg";
    private const string Jeans = "https://example.com/jeans.jpg";

    private readonly CliRunner _cli = new();

    [Fact]
    public async Task Submit_prints_only_the_result_key_on_stdout()
    {
        var result = await _cli.RunAsync("submit", "--emulator", "--model", Model, "--upper", Shirt, "--mode", "quality");

        Assert.Equal(0, result.ExitCode);
        var key = result.StdOut.Trim();
        Assert.Equal(1, _cli.Emulator.JobCount);
        var job = await _cli.Emulator.CreateClient().QueryAsync(key);
        Assert.Single(job.Tasks);
        // No "alitryon wait" hint: the in-process emulator, and its job, end with this command.
        Assert.DoesNotContain("alitryon wait", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("in-process emulator, which ends with this command", result.StdErr, StringComparison.Ordinal);
        var task = Assert.Single(SubmittedTasks.Of(_cli.Emulator));
        Assert.Equal(Shirt, (string?)task["upper_image"]!["url"]);
        Assert.Equal((int)InferenceMode.Quality, (int)task["inferenceMode"]!);
    }

    [Fact]
    public async Task Submit_json_is_a_document_with_the_result_key()
    {
        var result = await _cli.RunAsync("submit", "--emulator", "--json", "--model", Model, "--lower", Jeans);

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        var key = json.GetProperty("resultKey").GetString()!;
        Assert.Equal(1, json.GetProperty("taskCount").GetInt32());
        Assert.Single((await _cli.Emulator.CreateClient().QueryAsync(key)).Tasks);
        Assert.Equal(Jeans, (string?)Assert.Single(SubmittedTasks.Of(_cli.Emulator))["lower_image"]!["url"]);
        Assert.DoesNotContain("Submitted as job", result.StdOut, StringComparison.Ordinal); // stdout is the document alone
    }

    [Theory]
    [InlineData("--model", Model)]
    [InlineData("--model", "ftp://example.com/m.jpg", "--upper", Shirt)]
    [InlineData("--model", Model, "--upper", Shirt, "--mode", "slow")]
    [InlineData("--model", Model, "--upper", Shirt, "--colour", "red")]
    public async Task Bad_input_is_exit_code_1_and_sends_nothing(params string[] arguments)
    {
        var result = await _cli.RunAsync(["submit", "--emulator", .. arguments]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_cli.Emulator.Requests);
    }

    [Fact]
    public async Task Query_json_shows_every_task()
    {
        // The emulator's clock stands still, so the job is not finished whenever the query arrives on a busy machine.
        var still = new CliRunner(CliRunner.CreateEmulator(timeProvider: new FakeTimeProvider()));
        var job = await still.Emulator.CreateClient().SubmitAsync([Task(Shirt), Task(Jeans)]);

        var result = await still.RunAsync("query", job.ResultKey, "--emulator", "--json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal(job.ResultKey, json.GetProperty("resultKey").GetString());
        Assert.False(json.GetProperty("completed").GetBoolean());
        // Each task once, in order, with the status the service gave it (the clock stands still: none has finished).
        var tasks = json.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal([0, 1], tasks.Select(t => t.GetProperty("index").GetInt32()));
        Assert.All(tasks, t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "WAITING", "RUNNING" }));
    }

    [Fact]
    public async Task Query_of_an_unknown_key_is_a_service_error()
    {
        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--emulator", "--json");

        Assert.Equal(1, result.ExitCode);
        var error = result.Json().GetProperty("error");
        Assert.Equal(nameof(TryOnJobNotFoundException), error.GetProperty("type").GetString());
        Assert.Contains($"error: {error.GetProperty("message").GetString()}", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_shows_status_changes_with_elapsed_time_and_succeeds()
    {
        var job = await _cli.Emulator.CreateClient().SubmitAsync(Task(Shirt));

        var result = await _cli.RunAsync("wait", job.ResultKey, "--emulator");

        Assert.Equal(0, result.ExitCode);
        var progress = result.StdErr.Split('\n').Where(l => l.StartsWith("[00:", StringComparison.Ordinal)).ToArray();
        Assert.Contains(progress, l => l.Contains("task 0 SUCCESS", StringComparison.Ordinal));
        Assert.Equal(progress.Length, progress.Distinct().Count()); // plain lines, one per change
        Assert.DoesNotContain('\r', result.StdErr);
        Assert.Contains("1 of 1 task succeeded", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_with_a_failed_task_is_exit_code_2()
    {
        _cli.Emulator.Images.MarkGenerationFailure(Jeans);
        var job = await _cli.Emulator.CreateClient().SubmitAsync([Task(Shirt), Task(Jeans)]);

        var result = await _cli.RunAsync("wait", job.ResultKey, "--emulator", "--json");

        Assert.Equal(2, result.ExitCode);
        var json = result.Json();
        Assert.True(json.GetProperty("completed").GetBoolean());
        Assert.Equal(1, json.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, json.GetProperty("failed").GetInt32());
        Assert.Equal("FAILED", json.GetProperty("tasks")[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Wait_that_times_out_is_exit_code_1_and_says_how_to_resume()
    {
        // The tool and the emulator on one fake clock, moved by the test: the wait gives up after 2 s of it, while the
        // five-minute job is running.
        var time = new ObservedFakeTimeProvider();
        var slow = new CliRunner(CliRunner.CreateEmulator(quality: TimeSpan.FromMinutes(5), timeProvider: time)) { TimeProvider = time };
        var job = await slow.Emulator.CreateClient().SubmitAsync(new TryOnTask(new Uri(Model), new GarmentImage(new Uri(Shirt), GarmentKind.FlatLay), InferenceMode: InferenceMode.Quality));

        var result = await FakeClock.RunAsync(time, slow.RunAsync("wait", job.ResultKey, "--emulator", "--timeout", "2s", "--json"), TimeSpan.FromMinutes(1));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"alitryon wait {job.ResultKey}", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(job.ResultKey, result.Json().GetProperty("error").GetProperty("resultKey").GetString());
        // The advice, once: not the library's "wait for it again" as well as the tool's.
        var error = result.StdErr[result.StdErr.IndexOf("error:", StringComparison.Ordinal)..];
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error, "again"));
        Assert.Contains("last statuses: RUNNING", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_s_rewording_of_the_sdk_s_words_for_a_call_not_sent_for_lack_of_a_permit_names_the_tool_s_settings()
    {
        // The SDK's own message, from a call that waited past its TotalTimeout for a rate-limit permit, through the rewording
        // the tool applies to every SDK message it shows: a user of the tool sets AliTryOn:RateLimit and
        // AliTryOn:TotalTimeout, not TryOnClientOptions properties. (That the output goes through it is checked by the
        // image check's size limit in LocalImageTests; a time limit's own path needs a transport that gives up.)
        var time = new ObservedFakeTimeProvider();
        var client = CliRunner.CreateEmulator(timeProvider: time).CreateClient(o =>
        {
            o.RateLimit.RequestsPerSecond = 0.5;
            o.TotalTimeout = TimeSpan.FromSeconds(1);
        });
        var first = client.QueryAsync("rk-1");
        var second = client.QueryAsync("rk-2");

        var error = await FakeClock.RunAsync(time, Assert.ThrowsAnyAsync<TryOnException>(() => second), TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => first); // sent at once, for a key the service does not know

        Assert.Contains("TryOnClientOptions.RateLimit", error.Message, StringComparison.Ordinal);
        var told = CliSettings.InToolTerms(error.Message);
        Assert.Contains("(AliTryOn:AttemptTimeout or AliTryOn:TotalTimeout)", told, StringComparison.Ordinal);
        Assert.Contains("client-side rate limit, AliTryOn:RateLimit)", told, StringComparison.Ordinal);
        Assert.DoesNotContain("TryOnClientOptions", told, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("configure an image host to publish it (TryOnClientOptions.ImageHost, or a TryOnImageHost registered", "configure an image host to publish it (TryOnClientOptions.ImageHost, or a TryOnImageHost registered")]
    [InlineData("the limit of TryOnImageOptions.MaxBytes", "the limit of AliTryOn:Images:MaxBytes")]
    [InlineData("(AttemptTimeout or TotalTimeout of TryOnClientOptions)", "(AliTryOn:AttemptTimeout or AliTryOn:TotalTimeout)")]
    public void The_tool_s_rewording_names_settings_by_their_keys_and_leaves_the_image_host_which_has_none(string sdk, string tool)
    {
        Assert.Equal(tool, CliSettings.InToolTerms(sdk));
    }

    [Theory]
    [InlineData("wait", "--timeout", "-5m", "--timeout must be a positive duration")]
    [InlineData("wait", "--timeout", "soon", "--timeout must be a positive duration")]
    [InlineData("download", "--timeout", "0", "--timeout must be a positive duration such as 90s, 10m, 1h or 00:10:00; '0' is not.")]
    public async Task A_bad_flag_value_stops_the_command_before_it_starts_and_the_json_error_keeps_the_key(string command, string flag, string value, string message)
    {
        var result = await _cli.RunAsync(command, "rk-given", flag, value, "--emulator", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Using the in-process emulator", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("rk-given", result.Json().GetProperty("error").GetProperty("resultKey").GetString());
        Assert.Empty(_cli.Emulator.Requests);
    }

    [Fact]
    public async Task A_json_error_of_a_query_keeps_the_key_it_was_given()
    {
        var result = await _cli.RunAsync("query", "rk-nobody-knows", "--emulator", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("TryOnJobNotFoundException", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("rk-nobody-knows", result.Json().GetProperty("error").GetProperty("resultKey").GetString());
    }

    [Fact]
    public async Task Ctrl_C_is_exit_code_130()
    {
        var job = await _cli.Emulator.CreateClient().SubmitAsync(Task(Shirt));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var result = await _cli.RunAsync(["wait", job.ResultKey, "--emulator"], cancelled.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("Cancelled", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_with_json_prints_the_error_document_naming_the_job()
    {
        var job = await _cli.Emulator.CreateClient().SubmitAsync(Task(Shirt));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var result = await _cli.RunAsync(["wait", job.ResultKey, "--emulator", "--json"], cancelled.Token);

        // --json promises one JSON document on stdout, a cancellation included.
        Assert.Equal(130, result.ExitCode);
        var error = result.Json().GetProperty("error");
        Assert.Equal("Cancelled", error.GetProperty("type").GetString());
        Assert.Equal(job.ResultKey, error.GetProperty("resultKey").GetString());
        Assert.Contains("go on in the service", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("query")]
    [InlineData("wait")]
    [InlineData("download")]
    [InlineData("run")]
    public async Task Every_command_has_help(string command)
    {
        var result = await _cli.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"alitryon {command}", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("--json", result.StdOut, StringComparison.Ordinal);
        Assert.Empty(_cli.Emulator.Requests);
    }

    [Fact]
    public async Task Unknown_command_and_no_command_are_errors()
    {
        var unknown = await _cli.RunAsync("frobnicate");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error: 'frobnicate' is not a command", unknown.StdErr, StringComparison.Ordinal);

        var none = await _cli.RunAsync();
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("Commands:", none.StdErr, StringComparison.Ordinal);
        Assert.Empty(none.StdOut);

        var help = await _cli.RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "submit", "query", "wait", "download", "run" })
        {
            Assert.Contains($"  {command} ", help.StdOut, StringComparison.Ordinal);
        }
    }

    private static TryOnTask Task(string upper) => new(new Uri(Model), new GarmentImage(new Uri(upper), GarmentKind.FlatLay));
}
