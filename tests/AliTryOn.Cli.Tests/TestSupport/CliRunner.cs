using AliTryOn.Cli.Hosting;
using AliTryOn.Testing;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>
/// Runs the tool's entry point in process with captured stdout and stderr, an environment of the test's choosing, and
/// (for <c>--emulator</c>) the test's emulator with short timings, so tests can script it and count its requests.
/// </summary>
public sealed class CliRunner(TryOnEmulator? emulator = null)
{
    public TryOnEmulator Emulator { get; } = emulator ?? CreateEmulator();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public static TryOnEmulator CreateEmulator(TimeSpan? quality = null) => new(new TryOnEmulatorOptions
    {
        QueueTime = TimeSpan.FromMilliseconds(20),
        FastDuration = TimeSpan.FromMilliseconds(60),
        QualityDuration = quality ?? TimeSpan.FromMilliseconds(120),
        ResultsPerTask = 2,
    });

    /// <summary>Short polling, so waits end within milliseconds of the jobs.</summary>
    public static void ShortPolling(TryOnClientOptions options)
    {
        options.Polling.InitialDelay = TimeSpan.FromMilliseconds(10);
        options.Polling.MaxDelay = TimeSpan.FromMilliseconds(40);
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
    }

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext
        {
            Out = stdout,
            Error = stderr,
            Environment = Environment,
            IsErrorRedirected = true,
            CreateEmulator = _ => Emulator,
            ConfigureClient = ShortPolling,
        };
        var exit = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    public int SubmitCount => Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit);
}
