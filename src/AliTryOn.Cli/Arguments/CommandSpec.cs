namespace AliTryOn.Cli.Arguments;

/// <summary>A command's name, arguments and options: what the parser accepts and what <c>--help</c> prints.</summary>
internal sealed record CommandSpec(string Name, string Summary, IReadOnlyList<string> Positionals, IReadOnlyList<OptionSpec> Options, string Details)
{
    /// <summary>Options every command takes.</summary>
    public static IReadOnlyList<OptionSpec> GlobalOptions { get; } =
    [
        new("json", null, "Print one JSON document on stdout (stable, for scripts) instead of text."),
        new("config", "path", "A JSON settings file with an \"AliTryOn\" section, like appsettings.json."),
        new("emulator", null, "Run against the in-process emulator: no network, no credentials, fast timings."),
        new("appcode", "code", "The AppCode (prefer ALITRYON_APPCODE: a flag's value stays in shell history)."),
        new("help", null, "Show this help."),
    ];

    public IEnumerable<OptionSpec> AllOptions => Options.Concat(GlobalOptions);

    public string Usage =>
        $"alitryon {Name}{string.Concat(Positionals.Select(p => $" <{p}>"))} [options]";

    public string Help()
    {
        var width = AllOptions.Max(o => o.Syntax.Length) + 2;
        var text = new System.Text.StringBuilder();
        text.AppendLine(Summary).AppendLine().AppendLine("Usage:").AppendLine($"  {Usage}").AppendLine();
        if (Options.Count > 0)
        {
            text.AppendLine("Options:");
            foreach (var option in Options)
            {
                text.AppendLine($"  {option.Syntax.PadRight(width)}{option.Description}");
            }

            text.AppendLine();
        }

        text.AppendLine("Global options:");
        foreach (var option in GlobalOptions)
        {
            text.AppendLine($"  {option.Syntax.PadRight(width)}{option.Description}");
        }

        if (Details.Length > 0)
        {
            text.AppendLine().AppendLine(Details.TrimEnd());
        }

        return text.ToString();
    }
}
