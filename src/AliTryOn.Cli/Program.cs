using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli;

/// <summary>
/// alitryon: the command-line tool for the Alibaba Cloud Market virtual try-on API v2. The work is in
/// <see cref="CliApp"/>; this wires it to the console and to Ctrl+C.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancellation.IsCancellationRequested)
            {
                return; // a second Ctrl+C ends the process at once
            }

            e.Cancel = true; // stop waiting and exit with 130; submitted jobs go on in the service
            cancellation.Cancel();
        };

        return await CliApp.RunAsync(args, CliContext.FromConsole(), cancellation.Token).ConfigureAwait(false);
    }
}
