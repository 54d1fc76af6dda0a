using System.CommandLine;
using System.CommandLine.Parsing;
using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Arguments;

/// <summary>
/// Parses a command's arguments with System.CommandLine: <c>--name value</c>, <c>--name=value</c> or
/// <c>--name:value</c>, flags, <c>-h</c>, <c>--</c> to end options, and <c>@file</c> response files. Anything unknown
/// is an error naming it, so a typo never passes silently.
/// </summary>
internal static class ArgumentParser
{
    /// <exception cref="CliException">An unknown option, a missing or bad value, or the wrong number of arguments.</exception>
    public static ParsedArguments Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        var command = new Command(spec.Name, spec.Summary);
        var positionals = spec.Positionals.Select(name => new Argument<string>(name)).ToArray();
        var options = spec.AllOptions.ToDictionary(
            o => o.Name,
            Option (o) => o.TakesValue
                ? new Option<string>("--" + o.Name) { HelpName = o.ValueName }
                : new Option<bool>("--" + o.Name, o.Name == "help" ? ["-h", "-?"] : []));
        foreach (var argument in positionals)
        {
            command.Arguments.Add(argument);
        }

        foreach (var option in options.Values)
        {
            command.Options.Add(option);
        }

        // The command's own name first: a first argument that happens to be the same word is then an argument.
        var result = command.Parse([spec.Name, .. args]);
        if (result.GetResult(options["help"]) is { Implicit: false })
        {
            return new ParsedArguments([], new Dictionary<string, string?> { ["help"] = null });
        }

        if (FlagGivenValue(spec, args) is { } flag)
        {
            // Checked before the parser's errors: its leftover word would otherwise be taken for an argument.
            throw new CliException($"--{flag.Name} takes no value.", showUsage: true);
        }

        if (result.Errors.Count > 0)
        {
            throw new CliException(Describe(spec, result), showUsage: true);
        }

        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, option) in options)
        {
            if (result.GetResult(option) is not { Implicit: false } found)
            {
                continue;
            }

            if (option is Option<string> valued)
            {
                if (found.IdentifierTokenCount > 1)
                {
                    throw new CliException($"{option.Name} is given more than once; give it once.", showUsage: true);
                }

                // The parser takes the next word whatever it is: an empty one, or another option, is a value forgotten.
                var value = result.GetValue(valued);
                if (string.IsNullOrWhiteSpace(value) || Names(spec).Contains(value))
                {
                    throw new CliException(NeedsValue(option), showUsage: true);
                }

                given[name] = value;
            }
            else if (result.GetValue((Option<bool>)option))
            {
                given[name] = null; // a flag given as --flag=false is not given
            }
        }

        var parsed = new ParsedArguments([.. positionals.Select(a => result.GetValue(a)!)], given);

        // Every value now, before the command says or starts anything.
        foreach (var option in spec.AllOptions.Where(o => o.Check is not null && parsed.Has(o.Name)))
        {
            option.Check!(parsed);
        }

        return parsed;
    }

    private static string NeedsValue(Option option) => $"{option.Name} needs a value: {option.Name} <{option.HelpName}>.";

    /// <summary>Every name an option of the command answers to (<c>--json</c>, <c>-h</c>…).</summary>
    private static HashSet<string> Names(CommandSpec spec) =>
        [.. spec.AllOptions.Select(o => "--" + o.Name), "-h", "-?"];

    /// <summary>A flag written with a value other than true or false (<c>--json=yes</c>) before any <c>--</c>.</summary>
    private static OptionSpec? FlagGivenValue(CommandSpec spec, IReadOnlyList<string> args)
    {
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.IndexOfAny(['=', ':']) is var at and > 0
                && !bool.TryParse(arg[(at + 1)..], out _)
                && spec.AllOptions.FirstOrDefault(o => !o.TakesValue && "--" + o.Name == arg[..at]) is { } flag)
            {
                return flag;
            }
        }

        return null;
    }

    /// <summary>The first problem of a command line, in the tool's words where it has better ones than the parser's.</summary>
    private static string Describe(CommandSpec spec, ParseResult result)
    {
        // Only before a "--" (response files' words included): after it, every word is an argument.
        var options = result.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        if (result.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-') && t != "-" && options.Contains(t)) is { } unknown)
        {
            return $"'{unknown.Split('=', ':')[0]}' is not an option of '{spec.Name}'.";
        }

        var error = result.Errors[0];
        if (error.SymbolResult is OptionResult { Option: var option } optionResult)
        {
            return optionResult.Tokens.Count == 0 ? NeedsValue(option)
                : optionResult.Tokens.Count > 1 ? $"{option.Name} is given more than once; give it once."
                : error.Message;
        }

        if (result.UnmatchedTokens.Count > 0 || error.SymbolResult is CommandResult or ArgumentResult)
        {
            var got = spec.Positionals.Count(p => result.GetResult(p) is ArgumentResult { Tokens.Count: > 0 }) + result.UnmatchedTokens.Count;
            return spec.Positionals.Count == 0
                ? $"'{spec.Name}' takes no arguments; got '{string.Join(' ', result.UnmatchedTokens)}'."
                : $"'{spec.Name}' takes {string.Join(" ", spec.Positionals.Select(p => $"<{p}>"))}; got {got} argument{(got == 1 ? "" : "s")}.";
        }

        return error.Message;
    }
}
