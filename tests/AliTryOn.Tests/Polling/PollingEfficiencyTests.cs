using System.Globalization;
using System.Net;
using AliTryOn.Tests.TestSupport;
using Xunit.Abstractions;

namespace AliTryOn.Tests.Polling;

/// <summary>
/// The default poller against fixed 1-second polling, on a fake clock: jobs that finish after 2 s to 5 minutes, how
/// many queries each sends and how late it notices completion. The table goes to the test output (docs/benchmarks.md
/// records it); the budget is asserted for every run.
/// </summary>
public class PollingEfficiencyTests(ITestOutputHelper output)
{
    private const int JitteredRuns = 8;
    private static readonly int[] JobSeconds = [2, 5, 15, 30, 60, 120, 300];

    [Fact]
    public async Task The_default_poller_notices_within_max_1s_or_15_percent_with_far_fewer_queries_than_fixed_1s_polling()
    {
        var table = new List<string>
        {
            "| job finishes after | default: queries (mean, max) | default: noticed after completion (max) | budget max(1 s, 15 %) | fixed 1 s: queries | fixed 1 s: noticed after (max) |",
            "|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var seconds in JobSeconds)
        {
            var duration = TimeSpan.FromSeconds(seconds);
            var budget = TimeSpan.FromSeconds(Math.Max(1, 0.15 * seconds));
            var fixedRun = await SimulateAsync(duration, FixedOneSecond);
            var runs = new List<Run>();
            for (var i = 0; i < JitteredRuns; i++)
            {
                runs.Add(await SimulateAsync(duration, _ => { }));
            }

            foreach (var run in runs)
            {
                // The clock moves in steps of 1/64 s, so a timer may fire up to one step after its due time.
                Assert.InRange(run.Lateness, TimeSpan.Zero, budget + FakeClock.Step);
                // Jitter shortens the 1 s delays of the first seconds by up to 20 %, so very short jobs may take a
                // query more than fixed polling; from 15 s on the growing delays more than make up for it.
                var allowed = seconds < 15 ? fixedRun.Queries + 1 : fixedRun.Queries;
                Assert.True(run.Queries <= allowed, $"{seconds} s job: {run.Queries} queries, fixed 1 s polling {fixedRun.Queries}");
            }

            // "Far fewer": from a minute on at most half of fixed polling's queries, from two minutes on a third.
            var share = seconds >= 120 ? 3 : seconds >= 60 ? 2 : 1;
            Assert.True(runs.Max(r => r.Queries) * share <= fixedRun.Queries + (share == 1 ? 1 : 0), $"{seconds} s job: up to {runs.Max(r => r.Queries)} queries vs {fixedRun.Queries}");

            table.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {seconds} s | {runs.Average(r => r.Queries):0.#}, {runs.Max(r => r.Queries)} | {runs.Max(r => r.Lateness).TotalSeconds:0.00} s | {budget.TotalSeconds:0.##} s | {fixedRun.Queries} | {fixedRun.Lateness.TotalSeconds:0.00} s |"));
        }

        foreach (var line in table)
        {
            output.WriteLine(line);
        }
    }

    private static void FixedOneSecond(TryOnClientOptions options)
    {
        options.Polling.InitialDelay = TimeSpan.FromSeconds(1);
        options.Polling.MaxDelay = TimeSpan.FromSeconds(1);
        options.Polling.JitterRatio = 0;
    }

    /// <summary>Submits a job that finishes <paramref name="duration"/> after it was submitted, and waits for it.</summary>
    private static async Task<Run> SimulateAsync(TimeSpan duration, Action<TryOnClientOptions> configure)
    {
        var time = new ObservedFakeTimeProvider();
        var submittedAt = time.GetUtcNow();
        var queries = 0;
        var transport = new RecordingHandler((request, _) =>
        {
            if (request.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal))
            {
                return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
            }

            queries++;
            // Finished just after the instant: a query landing exactly on it still sees the job running (the worst case).
            var done = time.GetUtcNow() - submittedAt > duration;
            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", done ? "SUCCESS" : "RUNNING"));
        }) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => { o.Polling.Timeout = Timeout.InfiniteTimeSpan; configure(o); }), transport, time);

        await FakeClock.RunAsync(time, client.SubmitAndWaitAsync(TestOptions.Task()), duration + TimeSpan.FromMinutes(1));

        return new Run(queries, time.GetUtcNow() - submittedAt - duration);
    }

    private readonly record struct Run(int Queries, TimeSpan Lateness);
}
