using System.Globalization;

namespace AliTryOn.Benchmarks.Bulk;

/// <summary>
/// The parameters of the end-to-end bulk run: <c>--bulk</c> with <c>--tasks</c>, <c>--rate</c>, <c>--queue-time</c>,
/// <c>--run-time</c>, <c>--concurrency</c>, <c>--download-concurrency</c> and <c>--cli</c>. The defaults are the recorded run.
/// </summary>
internal sealed record BulkSettings
{
    /// <summary>Try-on tasks in the run (default 1,000: 100 jobs of 10).</summary>
    public int Tasks { get; init; } = 1000;

    /// <summary>Tasks per job (default 10, the service's limit).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The client's rate limit per AppCode, in requests per second (default 10).</summary>
    public double RequestsPerSecond { get; init; } = 10;

    /// <summary>How long a task waits in the emulator's queue (default 2 s).</summary>
    public TimeSpan QueueTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a task runs after its queue time (default 13 s: 15 s from submit to result, as the spec says).</summary>
    public TimeSpan RunTime { get; init; } = TimeSpan.FromSeconds(13);

    /// <summary>Jobs in flight at once (default: every job of the run, so that the rate limit is what governs).</summary>
    public int? Concurrency { get; init; }

    /// <summary>Result images downloading at once in the library run (default 8).</summary>
    public int DownloadConcurrency { get; init; } = 8;

    /// <summary>Run the CLI's <c>run</c> command over a manifest instead of <see cref="TryOnClient.RunBulkAsync"/>.</summary>
    public bool Cli { get; init; }

    /// <summary>How long a job lasts from its submit to its result.</summary>
    public TimeSpan JobDuration => QueueTime + RunTime;

    public int Jobs => (Tasks + BatchSize - 1) / BatchSize;

    public int JobsInFlight => Concurrency ?? Jobs;

    /// <exception cref="ArgumentException">An unknown argument or a value out of range.</exception>
    public static BulkSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BulkSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--bulk" => settings,
                "--cli" => settings with { Cli = true },
                "--tasks" => settings with { Tasks = Positive(int.Parse(Next(), CultureInfo.InvariantCulture), "--tasks") },
                "--batch-size" => settings with { BatchSize = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 10) },
                "--rate" => settings with { RequestsPerSecond = Positive(double.Parse(Next(), CultureInfo.InvariantCulture), "--rate") },
                "--queue-time" => settings with { QueueTime = Seconds(Next()) },
                "--run-time" => settings with { RunTime = Seconds(Next()) },
                "--concurrency" => settings with { Concurrency = Positive(int.Parse(Next(), CultureInfo.InvariantCulture), "--concurrency") },
                "--download-concurrency" => settings with { DownloadConcurrency = Positive(int.Parse(Next(), CultureInfo.InvariantCulture), "--download-concurrency") },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Bulk run: --bulk [--cli] [--tasks N] [--batch-size N] [--rate R] [--queue-time S] [--run-time S] [--concurrency N] [--download-concurrency N]."),
            };
        }

        return settings;
    }

    private static T Positive<T>(T value, string name)
        where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive.");

    private static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
}
