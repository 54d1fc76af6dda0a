using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Testing;
using Microsoft.Extensions.Configuration;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>
/// Runs the tool's entry point in process with captured stdout and stderr, an environment of the test's choosing, and
/// (for <c>--emulator</c>) the test's emulator with short timings, so tests can script it and count its requests.
/// </summary>
public sealed class CliRunner(TryOnEmulator? emulator = null)
{
    public TryOnEmulator Emulator { get; } = emulator ?? CreateEmulator();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Stands in for the S3 image host the <c>AliTryOn:Images:S3</c> settings make (the section is passed as the tool
    /// reads it); <see langword="null"/> for the tool's own factory.
    /// </summary>
    public Func<IConfigurationSection, TryOnImageHost>? CreateS3ImageHost { get; set; }

    /// <summary>Runs when the tool connects (after it has read its arguments, manifest and state file, before it sends anything).</summary>
    public Action? OnConnect { get; set; }

    /// <summary>The tool's clock (and so its waits' and calls' time limits): the system's unless a test sets a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// An emulator with short timings; with <paramref name="fetchImages"/> it fetches and checks every image submitted, as
    /// the service does; on <paramref name="timeProvider"/>, or the system's clock.
    /// </summary>
    public static TryOnEmulator CreateEmulator(TimeSpan? quality = null, bool fetchImages = false, TimeProvider? timeProvider = null) => new(new TryOnEmulatorOptions
    {
        TimeProvider = timeProvider ?? TimeProvider.System,
        QueueTime = TimeSpan.FromMilliseconds(20),
        FastDuration = TimeSpan.FromMilliseconds(60),
        QualityDuration = quality ?? TimeSpan.FromMilliseconds(120),
        ResultsPerTask = 2,
        FetchImages = fetchImages,
    });

    /// <summary>Short polling, so waits end within milliseconds of the jobs.</summary>
    public static void ShortPolling(TryOnClientOptions options)
    {
        options.Polling.InitialDelay = TimeSpan.FromMilliseconds(10);
        options.Polling.MaxDelay = TimeSpan.FromMilliseconds(40);
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
    }

    /// <summary>Points the tool at a stand-in for the service on loopback, with its AppCode.</summary>
    public CliRunner Use(EndToEnd.IndependentService service)
    {
        Environment["ALITRYON_ENDPOINT"] = service.Address.AbsoluteUri;
        Environment["ALITRYON_APPCODE"] = EndToEnd.IndependentService.AppCode;
        return this;
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
            TimeProvider = TimeProvider,
            CreateEmulator = _ =>
            {
                OnConnect?.Invoke();
                return Emulator;
            },
            ConfigureClient = ShortPolling,
            CreateS3ImageHost = CreateS3ImageHost ?? ImageHostFactory.CreateS3,
        };
        var exit = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    public int SubmitCount => Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit);
}
