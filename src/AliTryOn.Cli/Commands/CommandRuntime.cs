using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Commands;

/// <summary>What a command runs with: its arguments, its output, and a way to open the client.</summary>
internal sealed class CommandRuntime(CliContext context, ParsedArguments arguments)
{
    public CliContext Context { get; } = context;

    public ParsedArguments Arguments { get; } = arguments;

    public CliOutput Output { get; } = new(context, arguments.Json);

    /// <exception cref="CliException">No endpoint, or no credentials at all.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names its configuration key.</exception>
    public CliConnection Connect()
    {
        var connection = CliConnection.Open(Context, Arguments.Emulator, Arguments.ConfigPath, Arguments.Value("appcode"));
        Output.Note($"Using {connection.Target}.");
        return connection;
    }
}
