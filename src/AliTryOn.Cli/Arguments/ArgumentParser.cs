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
        // One parse only: a response file may be a pipe (@/dev/stdin, @<(…)), read once.
        var (result, positionals, options) = ParseTokens(spec, args);
        try
        {
            if (result.GetResult(options["help"]) is { Implicit: false })
            {
                return new ParsedArguments([], new Dictionary<string, string?> { ["help"] = null });
            }

            // Both checked before the parser's errors, which would name them less well (a flag's leftover value is taken for
            // an argument) or not at all (a second --output with no value).
            if (FlagGivenValue(options.Values, args) is { } flag)
            {
                throw new CliException($"{flag.Name} takes no value.", showUsage: true);
            }

            if (options.Values.FirstOrDefault(o => o is Option<string> && result.GetResult(o) is { IdentifierTokenCount: > 1 }) is { } twice)
            {
                throw new CliException($"{twice.Name} is given more than once; give it once.", showUsage: true);
            }

            if (result.Errors.Count > 0)
            {
                throw new CliException(Describe(spec, result), showUsage: true);
            }

            var given = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (name, option) in options)
            {
                if (result.GetResult(option) is not { Implicit: false })
                {
                    continue;
                }

                if (option is Option<string> valued)
                {
                    // The parser takes the next word whatever it is: an empty one, or another option, is a value forgotten.
                    var value = result.GetValue(valued);
                    if (string.IsNullOrWhiteSpace(value) || options.Values.Any(o => o.Name == value || o.Aliases.Contains(value)))
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
        catch (CliException exception)
        {
            // Not when a word was not understood: after a misspelt option (--apcode SECRET) its value is read as the argument.
            exception.FirstArgument = positionals.Length == 0 || result.UnmatchedTokens.Count > 0 ? null : result.GetResult(positionals[0])?.Tokens.FirstOrDefault()?.Value;
            throw;
        }
    }

    private static (ParseResult Result, Argument<string>[] Positionals, Dictionary<string, Option> Options) ParseTokens(CommandSpec spec, IReadOnlyList<string> args)
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
        return (command.Parse([spec.Name, .. args]), positionals, options);
    }

    private static string NeedsValue(Option option) => $"{option.Name} needs a value: {option.Name} <{option.HelpName}>.";

    /// <summary>A flag written with a value other than true or false (<c>--json=yes</c>) before any <c>--</c>.</summary>
    private static Option? FlagGivenValue(IEnumerable<Option> options, IReadOnlyList<string> args)
    {
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.IndexOfAny(['=', ':']) is var at and > 0
                && !bool.TryParse(arg[(at + 1)..], out _)
                && options.FirstOrDefault(o => o is Option<bool> && o.Name == arg[..at]) is { } flag)
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
            return optionResult.Tokens.Count == 0 ? NeedsValue(option) : error.Message;
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
