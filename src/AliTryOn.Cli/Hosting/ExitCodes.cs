namespace AliTryOn.Cli.Hosting;

/// <summary>The tool's exit codes, documented in README.md.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked and every task succeeded (or is still running, for <c>query</c>).</summary>
    public const int Success = 0;

    /// <summary>Bad input, missing credentials, a service or network error, a wait that timed out.</summary>
    public const int Error = 1;

    /// <summary>The command completed but some tasks failed (or their outcome is unknown).</summary>
    public const int PartialFailure = 2;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped with SIGTERM (128 + SIGTERM), which is handled as Ctrl+C is.</summary>
    public const int Terminated = 143;
}
