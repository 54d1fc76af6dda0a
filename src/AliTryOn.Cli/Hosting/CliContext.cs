using System.Collections;
using AliTryOn.Cli.Configuration;
using AliTryOn.Testing;
using Microsoft.Extensions.Configuration;

namespace AliTryOn.Cli.Hosting;

/// <summary>
/// Everything the tool takes from its surroundings: the console, the environment, the clock, and how to make the
/// emulator. <see cref="FromConsole"/> gives the real ones; tests pass their own.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Results and <c>--json</c> documents.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Progress, warnings and error messages.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>The environment variables, a snapshot.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>When true (stderr is a file or a pipe) progress is plain lines; when false it is one line redrawn in place.</summary>
    public bool IsErrorRedirected { get; init; } = true;

    /// <summary>Makes the in-process emulator for <c>--emulator</c>.</summary>
    public Func<TimeProvider, TryOnEmulator> CreateEmulator { get; init; } = DefaultEmulator;

    /// <summary>
    /// Makes the S3 image host from the <c>AliTryOn:Images:S3</c> settings, when any is set (<see cref="ImageHostFactory.CreateS3"/>;
    /// tests pass a host of their own).
    /// </summary>
    public Func<IConfigurationSection, TryOnImageHost> CreateS3ImageHost { get; init; } = ImageHostFactory.CreateS3;

    /// <summary>Adjusts the client's options after configuration (tests shorten polling); <see langword="null"/> for none.</summary>
    public Action<TryOnClientOptions>? ConfigureClient { get; init; }

    public static CliContext FromConsole()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                environment[key] = value;
            }
        }

        return new CliContext
        {
            Out = Console.Out,
            Error = Console.Error,
            Environment = environment,
            IsErrorRedirected = Console.IsErrorRedirected,
        };
    }

    /// <summary>Fast timings, so <c>--emulator</c> runs finish in seconds.</summary>
    public static TryOnEmulator DefaultEmulator(TimeProvider timeProvider) => new(new TryOnEmulatorOptions
    {
        TimeProvider = timeProvider,
        QueueTime = TimeSpan.FromMilliseconds(300),
        FastDuration = TimeSpan.FromSeconds(1),
        QualityDuration = TimeSpan.FromSeconds(2),
    });
}
