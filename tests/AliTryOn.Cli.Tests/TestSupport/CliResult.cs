using System.Text.Json;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>What one in-process run of the tool produced.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(StdOut);
        return document.RootElement.Clone();
    }

    public string AllOutput => StdOut + "\n" + StdErr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
