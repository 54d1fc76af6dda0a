namespace AliTryOn.Cli.Arguments;

/// <summary>
/// One <c>--option</c> of a command: a flag when <see cref="ValueName"/> is null, else it takes a value, which
/// <see cref="Check"/>, when set, reads once while the command line is parsed, so that a bad value stops the command
/// before it starts anything.
/// </summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Description, Action<ParsedArguments>? Check = null)
{
    public bool TakesValue => ValueName is not null;

    public string Syntax => TakesValue ? $"--{Name} <{ValueName}>" : $"--{Name}";
}
