using System.Runtime.InteropServices;
using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli;

/// <summary>
/// alitryon: the command-line tool for the Alibaba Cloud Market virtual try-on API v2. The work is in
/// <see cref="CliApp"/>; this wires it to the console, to Ctrl+C and to SIGTERM.
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

        // kill, docker stop and CI time limits send SIGTERM: handled as Ctrl+C, so that a submit in flight is recorded
        // before the tool exits (by default the runtime would end the process at once, losing it).
        var terminated = false;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (cancellation.IsCancellationRequested)
            {
                return; // a second signal ends the process at once
            }

            context.Cancel = true;
            Volatile.Write(ref terminated, true);
            cancellation.Cancel();
        });

        var exit = await CliApp.RunAsync(args, CliContext.FromConsole(), cancellation.Token).ConfigureAwait(false);
        return exit == ExitCodes.Cancelled && Volatile.Read(ref terminated) ? ExitCodes.Terminated : exit;
    }
}
