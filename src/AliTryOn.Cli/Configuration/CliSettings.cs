using AliTryOn.Cli.Hosting;
using Microsoft.Extensions.Configuration;

namespace AliTryOn.Cli.Configuration;

/// <summary>
/// Where the client's settings come from, lowest precedence first: the <c>--config</c> file's "AliTryOn" section, the
/// <c>AliTryOn__*</c> environment variables, the <c>ALITRYON_*</c> ones, and the <c>--appcode</c> flag.
/// </summary>
internal static class CliSettings
{
    public const string Section = "AliTryOn";

    /// <summary>The short environment variables and the setting each stands for.</summary>
    public static IReadOnlyList<(string Variable, string Key)> ShortVariables { get; } =
    [
        ("ALITRYON_ENDPOINT", "Endpoint"),
        ("ALITRYON_APPCODE", "AppCode"),
        ("ALITRYON_APPKEY", "AppKey"),
        ("ALITRYON_APPSECRET", "AppSecret"),
    ];

    /// <exception cref="CliException">The config file is missing or is not valid JSON.</exception>
    public static IConfiguration Build(IReadOnlyDictionary<string, string> environment, string? configPath, string? appCode)
    {
        var builder = new ConfigurationBuilder();
        if (configPath is not null)
        {
            var path = Path.GetFullPath(configPath);
            if (!File.Exists(path))
            {
                throw new CliException($"The config file '{configPath}' does not exist.");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        const string prefix = Section + "__";
        var fromEnvironment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
            {
                fromEnvironment[Section + ":" + name[prefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (variable, key) in ShortVariables)
        {
            if (environment.TryGetValue(variable, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                fromEnvironment[Section + ":" + key] = value;
            }
        }

        if (appCode is not null)
        {
            fromEnvironment[Section + ":AppCode"] = appCode;
        }

        builder.AddInMemoryCollection(fromEnvironment);
        try
        {
            return builder.Build();
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or IOException)
        {
            throw new CliException($"The config file '{configPath}' cannot be read: {exception.Message}");
        }
    }
}
