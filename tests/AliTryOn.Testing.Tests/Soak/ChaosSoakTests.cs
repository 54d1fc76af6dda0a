using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using AliTryOn.Testing.Tests.Bulk;
using AliTryOn.Testing.Tests.Scale;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AliTryOn.Testing.Tests.Soak;

/// <summary>
/// Ten thousand tasks through <see cref="TryOnClient.RunBulkAsync"/> against the in-memory emulator on a fake clock,
/// with every kind of fault mixed into more than 5 % of the requests, and the process stopped halfway and resumed
/// from what <see cref="TryOnBulkOptions.OnBatchSubmitted"/> recorded. Checked against the emulator's own records,
/// not the client's word: every input ends once, no input is billed twice, every job billed is accounted for, no nonce
/// is used twice, and the AppCode appears nowhere.
/// </summary>
[Collection(nameof(ScaleCollection))]
public sealed class ChaosSoakTests(ITestOutputHelper output)
{
    private const int Inputs = 10_000;
    private const string AppCode = "SOAK-appcode-SENTINEL-51d2e7";

    [Fact]
    public async Task Ten_thousand_tasks_through_every_fault_and_a_restart_end_once_each_and_no_job_is_lost_or_billed_twice()
    {
        var watch = Stopwatch.StartNew();
        using var scan = new SecretScan(AppCode);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(scan).SetMinimumLevel(LogLevel.Debug));
        var harness = new BulkHarness(
            emulator =>
            {
                emulator.RandomSeed = 20261201;
                emulator.AppCodes.Clear();
                emulator.AppCodes.Add(AppCode);
                emulator.QueueTime = TimeSpan.FromSeconds(1);
                emulator.FastDuration = TimeSpan.FromSeconds(3);
            },
            client =>
            {
                client.AttemptTimeout = TimeSpan.FromSeconds(10); // the latency faults outlast it
                client.RateLimit.RequestsPerSecond = 400;          // queueing for permits, on the fake clock
                client.RateLimit.QueueLimit = 100_000;
            },
            loggers);
        ScriptFaults(harness.Emulator.Faults);
        var tasks = BulkHarness.Tasks(Inputs);

        // The first process: stopped once half the inputs have their outcome.
        using var stop = new CancellationTokenSource();
        var firstOutcomes = 0;
        var first = BulkHarness.CollectAsync(harness.Client.RunBulkAsync(tasks, harness.Options(maxConcurrentBatches: 40), stop.Token), _ =>
        {
            if (++firstOutcomes == Inputs / 2)
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.DriveAsync(first));
        var recorded = harness.Reported.ToArray();
        var restartedAt = harness.Time.GetUtcNow() - harness.Start;
        var submitsBeforeRestart = harness.Emulator.Requests.Count(r => r.CreatedJob);


        // The second process: resumed from the record, to the end.
        var second = await harness.RunAsync(tasks, harness.Options(maxConcurrentBatches: 40, resume: recorded));
        var requests = harness.Emulator.Requests;

        // Every input ends exactly once; no input went into two jobs; each outcome naming a job names its input's.
        harness.AssertEachInputOnceAndNoneSubmittedTwice(Inputs, second);

        // Nothing recorded by the first process was submitted again by the second.
        var created = requests.Where(r => r.CreatedJob).ToArray();
        var resubmitted = created.Skip(submitsBeforeRestart).SelectMany(r => BulkHarness.InputsOf(r.Body!)).Intersect(recorded.SelectMany(b => b.InputIndices)).ToArray();
        Assert.Empty(resubmitted);

        // Every job the emulator created (and would bill) was recorded: with its key whenever an answer naming it
        // reached the client, and otherwise as a batch of unknown outcome holding exactly its inputs.
        var reported = harness.Reported.ToArray();
        var lost = 0;
        foreach (var job in created)
        {
            var inputs = BulkHarness.InputsOf(job.Body!);
            var batch = reported.FirstOrDefault(b => b.InputIndices.SequenceEqual(inputs));
            // An answer cut off halfway still carried the key (it comes first), so that job must be recorded with it too.
            var answered = job.Fault is not { AfterProcessing: true } || job.Fault == TryOnEmulatorFault.TruncatedBody();
            if (batch is null || (answered ? batch.ResultKey != job.ResultKey : batch.ResultKey is not null && batch.ResultKey != job.ResultKey))
            {
                lost++;
                output.WriteLine($"Job {job.ResultKey} ({job.Fault?.ToString() ?? "answered"}) of inputs [{string.Join(", ", inputs)}] is recorded as {batch?.ToString() ?? "nothing"}.");
            }
        }

        // What was captured is scanned for the AppCode: logs and spans as they happened, then outcomes, their
        // exceptions and the emulator's records.
        foreach (var outcome in second)
        {
            scan.Check("outcome", outcome.ToString());
            if (outcome.Error is { } error)
            {
                scan.Check("exception", error.ToString());
            }
        }

        foreach (var request in requests)
        {
            scan.Check("emulator record", string.Join("\n", request.Headers.Select(h => h.Key + ": " + h.Value)) + request.Body);
        }

        var duplicates = created.SelectMany(r => BulkHarness.InputsOf(r.Body!)).GroupBy(i => i).Count(g => g.Count() > 1);
        var nonces = requests.Select(r => r.Nonce).OfType<string>().ToArray();
        var faulted = requests.Where(r => r.Fault is not null).ToArray();
        var byKind = faulted.GroupBy(r => $"{r.Operation} {r.Fault}").OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();

        var statuses = second.GroupBy(o => o.Status).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var report = new StringBuilder()
            .AppendLine($"Chaos soak: {Inputs} tasks, {created.Length} jobs created, {requests.Count} requests ({requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit)} submits, {requests.Count(r => r.Operation == TryOnEmulatorOperation.Query)} queries), {harness.Time.GetUtcNow() - harness.Start:c} of fake time, {watch.Elapsed.TotalSeconds:F1} s of real time")
            .AppendLine($"Faults: {faulted.Length} ({100.0 * faulted.Length / requests.Count:F1} % of requests)")
            .AppendJoin(Environment.NewLine, byKind.Select(g => $"  {g.Key}: {g.Count()}")).AppendLine()
            .AppendLine($"Retries by the client: {scan.Count(1120)}; failed queries ridden out by waits: {scan.Count(1113)}")
            .AppendLine($"Restart after {Inputs / 2} outcomes, at {restartedAt:c} of fake time: {recorded.Length} batches recorded, {submitsBeforeRestart} jobs created before it")
            .AppendLine($"Outcomes: {string.Join(", ", statuses)}")
            .AppendLine($"Duplicates (inputs in two jobs, or recorded batches submitted again): {duplicates + resubmitted.Length}; lost (billed jobs not recorded): {lost}; nonces sent twice: {nonces.Length - nonces.Distinct(StringComparer.Ordinal).Count()}; AppCode leaks: {scan.Leaks.Count}");
        output.WriteLine(report.ToString());

        // Enough chaos to mean something: over 5 % of all requests faulted, every kind of fault among them.
        Assert.True(faulted.Length > requests.Count * 0.05, $"{faulted.Length} of {requests.Count} requests faulted.");
        Assert.Equal(FaultKinds, byKind.Length);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);

        // A job whose key was never learned leaves its inputs unknown (never resubmitted, never called failed).
        var byInput = second.ToDictionary(o => o.InputIndex);
        foreach (var job in created.Where(j => j.Fault is { AfterProcessing: true }))
        {
            foreach (var input in BulkHarness.InputsOf(job.Body!))
            {
                var outcome = byInput[input];
                Assert.True(outcome.ResultKey == job.ResultKey || (outcome.ResultKey is null && outcome.Status == TryOnBulkStatus.OutcomeUnknown), $"Input {input} of job {job.ResultKey} ended {outcome.Status} with {outcome.ResultKey}.");
            }
        }

        // No nonce was sent twice, and the AppCode is in nothing captured.
        Assert.Equal(nonces.Length, nonces.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(scan.Leaks);

    }

    private static void ScriptFaults(TryOnEmulatorFaults faults)
    {
        // Submits: refusals that are retried, server errors before and after the job exists, connections refused and
        // cut (before the answer, and halfway through its body), attempts that time out before and after the job
        // exists, a code no client knows, and jobs that queries cannot see for a while after their submit.
        Script(faults, TryOnEmulatorOperation.Submit, SubmitFaults);

        // Queries: the same families; each is retried by the query or ridden out by the wait.
        Script(faults, TryOnEmulatorOperation.Query, QueryFaults);
    }

    /// <summary>Each fault once at the start (so every kind is seen whatever the dice say), then at random throughout.</summary>
    private static void Script(TryOnEmulatorFaults faults, TryOnEmulatorOperation operation, (TryOnEmulatorFault Fault, double Probability)[] script)
    {
        foreach (var (fault, _) in script)
        {
            faults.Add(operation, fault);
        }

        foreach (var (fault, probability) in script)
        {
            faults.AddRandom(operation, fault, probability);
        }
    }

    private static readonly (TryOnEmulatorFault Fault, double Probability)[] SubmitFaults =
    [
        (TryOnEmulatorFault.Throttled(), 0.020),
        (TryOnEmulatorFault.Throttled(TimeSpan.FromSeconds(2)), 0.006),
        (TryOnEmulatorFault.GatewayThrottled(), 0.006),
        (TryOnEmulatorFault.GatewayThrottled(TimeSpan.FromSeconds(3)), 0.006),
        (TryOnEmulatorFault.HtmlError(502), 0.006),
        (TryOnEmulatorFault.HtmlError(503, afterProcessing: true), 0.006),
        (TryOnEmulatorFault.InternalError(afterProcessing: true), 0.006),
        (TryOnEmulatorFault.DroppedConnection(), 0.006),
        (TryOnEmulatorFault.DroppedConnection(afterProcessing: true), 0.006),
        (TryOnEmulatorFault.TruncatedBody(), 0.006),
        (TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(30)), 0.006),
        (TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(30), afterProcessing: true), 0.006),
        (TryOnEmulatorFault.ServiceError(500, 23599999), 0.006),
        (TryOnEmulatorFault.NotFoundAfterSubmit(TimeSpan.FromSeconds(2)), 0.03),
    ];

    private static readonly (TryOnEmulatorFault Fault, double Probability)[] QueryFaults =
    [
        (TryOnEmulatorFault.Throttled(), 0.025),
        (TryOnEmulatorFault.Throttled(TimeSpan.FromSeconds(1)), 0.005),
        (TryOnEmulatorFault.GatewayThrottled(), 0.005),
        (TryOnEmulatorFault.HtmlError(502), 0.005),
        (TryOnEmulatorFault.HtmlError(504), 0.005),
        (TryOnEmulatorFault.InternalError(), 0.005),
        (TryOnEmulatorFault.DroppedConnection(), 0.005),
        (TryOnEmulatorFault.DroppedConnection(afterProcessing: true), 0.005),
        (TryOnEmulatorFault.TruncatedBody(), 0.005),
        (TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(30)), 0.005),
        (TryOnEmulatorFault.ServiceError(500, 23599999), 0.005),
        (TryOnEmulatorFault.GatewayError(503, "Service Unavailable"), 0.005),
    ];

    /// <summary>How many distinct (operation, fault) pairs are scripted.</summary>
    private static int FaultKinds => SubmitFaults.Length + QueryFaults.Length;

    /// <summary>
    /// Scans every log entry (message, exception and structured values) and every activity of the SDK for a secret as
    /// they happen, keeping only what leaks, and counts log events by id.
    /// </summary>
    private sealed class SecretScan : ILoggerProvider, ILogger
    {
        private readonly string _secret;
        private readonly ConcurrentQueue<string> _leaks = new();
        private readonly ConcurrentDictionary<int, int> _events = new();
        private readonly ActivityListener _activities;

        public SecretScan(string secret)
        {
            _secret = secret;
            _activities = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == TryOnDiagnostics.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity => Check("activity", activity.DisplayName + string.Concat(activity.TagObjects.Select(t => $" {t.Key}={t.Value}")) + string.Concat(activity.Events.Select(e => " " + e.Name + string.Concat(e.Tags.Select(t => $" {t.Key}={t.Value}"))))),
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public IReadOnlyCollection<string> Leaks => _leaks;

        public int Count(int eventId) => _events.GetValueOrDefault(eventId);

        public void Check(string origin, string text)
        {
            if (text.Contains(_secret, StringComparison.Ordinal))
            {
                _leaks.Enqueue($"{origin}: {text}");
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            Check("log scope", state.ToString() ?? string.Empty);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _events.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Concat(pairs.Select(p => $" {p.Key}={p.Value}")) : string.Empty;
            Check("log", formatter(state, exception) + values + exception);
        }

        public void Dispose() => _activities.Dispose();
    }
}
