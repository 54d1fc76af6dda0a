namespace AliTryOn.Cli.Hosting;

/// <summary>A problem the user can fix (bad input, missing credentials, an unreadable file): its message is shown as is.</summary>
internal sealed class CliException(string message, bool showUsage = false) : Exception(message)
{
    /// <summary>Whether to point at the command's <c>--help</c>.</summary>
    public bool ShowUsage { get; } = showUsage;

    /// <summary>
    /// For a command line that did not parse, its first argument as the parser read it (never an option's value), for
    /// the error document of a command that takes a result key; <see langword="null"/> otherwise.
    /// </summary>
    public string? FirstArgument { get; set; }
}
