using System.Reflection;
using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Commands;
using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;
using Microsoft.Extensions.Options;

namespace AliTryOn.Cli;

/// <summary>
/// The tool's entry point, callable in process: picks the command, parses its arguments, runs it, and turns every
/// failure into a message on stderr (and a JSON error document with <c>--json</c>) and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal static class CliApp
{
    private static readonly (CommandSpec Spec, Func<CommandRuntime, CancellationToken, Task<int>> Execute)[] Commands =
    [
        (SubmitCommand.Spec, SubmitCommand.ExecuteAsync),
        (QueryCommand.Spec, QueryCommand.ExecuteAsync),
        (WaitCommand.Spec, WaitCommand.ExecuteAsync),
        (DownloadCommand.Spec, DownloadCommand.ExecuteAsync),
        (RunCommand.Spec, RunCommand.ExecuteAsync),
        (CheckCommand.Spec, CheckCommand.ExecuteAsync),
    ];

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var json = args.Contains("--json", StringComparer.Ordinal);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "-?" || (args[0] == "help" && args.Length == 1))
        {
            (args.Length == 0 ? context.Error : context.Out).Write(Help());
            return args.Length == 0 ? ExitCodes.Error : ExitCodes.Success;
        }

        if (args[0] == "--version")
        {
            context.Out.WriteLine(typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
            return ExitCodes.Success;
        }

        var name = args[0] == "help" ? args[1] : args[0];
        var command = Commands.FirstOrDefault(c => c.Spec.Name == name);
        if (command.Spec is null)
        {
            return Fail(context, json, "UsageError", $"'{name}' is not a command. Commands: {string.Join(", ", Commands.Select(c => c.Spec.Name))}. Run 'alitryon --help'.");
        }

        if (args[0] == "help")
        {
            context.Out.Write(command.Spec.Help());
            return ExitCodes.Success;
        }

        // The result key the command was given, if any: every error document keeps it, whatever failed.
        string? givenKey = null;
        try
        {
            var arguments = ArgumentParser.Parse(command.Spec, args[1..]);
            if (command.Spec.Positionals is ["resultKey"])
            {
                givenKey = arguments.Positionals.FirstOrDefault();
            }

            if (arguments.Help)
            {
                context.Out.Write(command.Spec.Help());
                return ExitCodes.Success;
            }

            if (arguments.Has("appcode"))
            {
                // The value is never echoed; only the warning.
                context.Error.WriteLine("warning: --appcode leaves the AppCode in your shell history and the process list; prefer the ALITRYON_APPCODE environment variable.");
            }

            return await command.Execute(new CommandRuntime(context, arguments), cancellationToken).ConfigureAwait(false);
        }
        catch (CliException exception)
        {
            givenKey ??= command.Spec.Positionals is ["resultKey"] ? exception.FirstArgument : null;
            return Fail(context, json, "UsageError", exception.Message + (exception.ShowUsage ? $" Run 'alitryon {command.Spec.Name} --help'." : string.Empty), givenKey);
        }
        catch (OptionsValidationException exception)
        {
            return Fail(context, json, "ConfigurationError", CliSettings.NameSources(exception.Message, context.Environment), givenKey);
        }
        catch (TryOnWaitTimeoutException exception)
        {
            // The tool's own advice, said once: the exception's message gives the library's.
            var seen = exception.LastJob is { } last ? $" (last statuses: {string.Join(", ", last.Tasks.Select(t => t.Status.Value))})" : string.Empty;
            return Fail(context, json, nameof(TryOnWaitTimeoutException), $"Try-on job '{exception.ResultKey}' did not complete within {exception.Timeout}{seen}. It goes on in the service: wait again with 'alitryon wait {exception.ResultKey}'.", exception.ResultKey);
        }
        catch (TryOnException exception)
        {
            // A failed wait names its job, to wait for it again.
            return Fail(context, json, exception.GetType().Name, CliSettings.InToolTerms(exception.Message), exception.ResultKey ?? givenKey);
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
        {
            // Only a lone submit's cancellation speaks for every job of the command.
            var message = command.Spec.Name == SubmitCommand.Spec.Name && exception is TryOnSubmitCanceledException { MayHaveCreatedJob: false }
                ? "Cancelled before the submit was sent: no job was created."
                : "Cancelled. Jobs already submitted go on in the service.";
            context.Error.WriteLine(message);
            WriteErrorDocument(context, json, "Cancelled", message, givenKey);
            return ExitCodes.Cancelled;
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            return Fail(context, json, exception.GetType().Name, exception.Message, givenKey);
        }
    }

    private static int Fail(CliContext context, bool json, string type, string message, string? resultKey = null)
    {
        context.Error.WriteLine($"error: {message}");
        WriteErrorDocument(context, json, type, message, resultKey);
        return ExitCodes.Error;
    }

    /// <summary>With <c>--json</c>, the one document on standard output of a command that did not finish.</summary>
    private static void WriteErrorDocument(CliContext context, bool json, string type, string message, string? resultKey)
    {
        if (json)
        {
            context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new ErrorDocument(new ErrorDetail(type, message, resultKey)), CliJsonContext.Default.ErrorDocument));
        }
    }

    private static string Help()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("alitryon: virtual try-on from the command line (Alibaba Cloud Market try-on API v2).")
            .AppendLine()
            .AppendLine("Usage: alitryon <command> [arguments] [options]")
            .AppendLine()
            .AppendLine("Commands:");
        foreach (var (spec, _) in Commands)
        {
            text.AppendLine($"  {spec.Name,-10}{spec.Summary}");
        }

        text.AppendLine()
            .AppendLine("Run 'alitryon <command> --help' for a command's options.")
            .AppendLine()
            .AppendLine("Credentials: ALITRYON_ENDPOINT and ALITRYON_APPCODE (or ALITRYON_APPKEY and ALITRYON_APPSECRET),")
            .AppendLine("the AliTryOn__Endpoint/AliTryOn__AppCode forms, or --config <file.json> with an \"AliTryOn\" section.")
            .AppendLine("--emulator runs against the in-process emulator instead (no account, no network).")
            .AppendLine("Local images in manifests are published through an S3-compatible bucket: AliTryOn:Images:S3:* settings")
            .AppendLine("(BucketName, ServiceUrl, Region, AccessKeyId, SecretAccessKey…); 'check' needs no credentials at all.")
            .AppendLine()
            .AppendLine("Exit codes: 0 success, 2 some tasks failed (check: problems found), 1 error (bad input, credentials, service error, timeout), 130 Ctrl+C, 143 SIGTERM (handled as Ctrl+C).");
        return text.ToString();
    }
}
