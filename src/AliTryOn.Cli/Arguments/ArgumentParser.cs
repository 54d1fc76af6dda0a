using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Arguments;

/// <summary>
/// A small parser: <c>--name value</c>, <c>--name=value</c>, flags, <c>-h</c>, and <c>--</c> to end options. Anything
/// unknown is an error naming it, so a typo never passes silently.
/// </summary>
internal static class ArgumentParser
{
    /// <exception cref="CliException">An unknown option, a missing or bad value, or the wrong number of arguments.</exception>
    public static ParsedArguments Parse(CommandSpec command, IReadOnlyList<string> args)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var onlyPositionals = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyPositionals || !arg.StartsWith('-') || arg == "-")
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                onlyPositionals = true;
                continue;
            }

            if (arg is "-h" or "-?")
            {
                options["help"] = null;
                continue;
            }

            var nameAndValue = arg.TrimStart('-');
            var equals = nameAndValue.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? nameAndValue : nameAndValue[..equals]).ToLowerInvariant();
            var option = command.AllOptions.FirstOrDefault(o => o.Name == name)
                ?? throw new CliException($"'{arg.Split('=')[0]}' is not an option of '{command.Name}'.", showUsage: true);
            if (!option.TakesValue)
            {
                if (equals >= 0)
                {
                    throw new CliException($"--{name} takes no value.", showUsage: true);
                }

                options[name] = null;
            }
            else if (equals >= 0)
            {
                options[name] = nameAndValue[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                options[name] = args[++i];
            }
            else
            {
                throw new CliException($"--{name} needs a value: {option.Syntax}.", showUsage: true);
            }
        }

        var parsed = new ParsedArguments(positionals, options);
        if (!parsed.Help && positionals.Count != command.Positionals.Count)
        {
            throw new CliException(
                command.Positionals.Count == 0
                    ? $"'{command.Name}' takes no arguments; got '{string.Join(' ', positionals)}'."
                    : $"'{command.Name}' takes {string.Join(" ", command.Positionals.Select(p => $"<{p}>"))}; got {positionals.Count} argument{(positionals.Count == 1 ? "" : "s")}.",
                showUsage: true);
        }

        if (!parsed.Help)
        {
            // Every value now, before the command says or starts anything.
            foreach (var option in command.AllOptions.Where(o => o.Check is not null && parsed.Has(o.Name)))
            {
                option.Check!(parsed);
            }
        }

        return parsed;
    }
}
