namespace AliTryOn.Cli.Hosting;

/// <summary>A problem the user can fix (bad input, missing credentials, an unreadable file): its message is shown as is.</summary>
internal sealed class CliException(string message, bool showUsage = false) : Exception(message)
{
    /// <summary>Whether to point at the command's <c>--help</c>.</summary>
    public bool ShowUsage { get; } = showUsage;
}
