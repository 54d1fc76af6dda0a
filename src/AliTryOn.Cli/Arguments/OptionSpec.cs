namespace AliTryOn.Cli.Arguments;

/// <summary>One <c>--option</c> of a command: a flag when <see cref="ValueName"/> is null, else it takes a value.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Description)
{
    public bool TakesValue => ValueName is not null;

    public string Syntax => TakesValue ? $"--{Name} <{ValueName}>" : $"--{Name}";
}
