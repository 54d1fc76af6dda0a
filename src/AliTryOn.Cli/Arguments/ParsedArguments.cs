using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Arguments;

/// <summary>A command line, checked against its <see cref="CommandSpec"/>.</summary>
internal sealed class ParsedArguments(IReadOnlyList<string> positionals, IReadOnlyDictionary<string, string?> options)
{
    public IReadOnlyList<string> Positionals { get; } = positionals;

    public bool Json => Has("json");

    public bool Emulator => Has("emulator");

    public bool Help => Has("help");

    public string? ConfigPath => Value("config");

    public bool Has(string name) => options.ContainsKey(name);

    public string? Value(string name) => options.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) =>
        Value(name) is { Length: > 0 } value ? value : throw new CliException($"--{name} is required.", showUsage: true);

    public int? Int(string name, int min, int max)
    {
        if (Value(name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CliException($"--{name} must be a whole number from {min} to {max}; '{text}' is not.", showUsage: true);
    }

    public TimeSpan? Duration(string name) =>
        Value(name) is { } text
            ? DurationParser.TryParse(text, out var value) ? value : throw new CliException($"--{name} must be a positive duration such as 90s, 10m, 1h or 00:10:00; '{text}' is not.", showUsage: true)
            : null;

    /// <summary>The full path of the folder an option names (or <paramref name="fallback"/>), refused when a file has that name.</summary>
    public string Folder(string name, string fallback)
    {
        var path = System.IO.Path.GetFullPath(Value(name) ?? fallback);
        return File.Exists(path)
            ? throw new CliException($"--{name} '{path}' is a file; give a folder (it is created if missing).")
            : path;
    }

    /// <summary>The full path of the file an option names (or <paramref name="fallback"/>), refused when a folder has that name.</summary>
    public string FilePath(string name, string fallback)
    {
        var path = System.IO.Path.GetFullPath(Value(name) ?? fallback);
        return Directory.Exists(path)
            ? throw new CliException($"--{name} '{path}' is a folder; give the path of a file.")
            : path;
    }
}
