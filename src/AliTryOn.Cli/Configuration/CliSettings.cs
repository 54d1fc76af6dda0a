using System.Text.RegularExpressions;
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

    /// <summary>
    /// A message of the SDK's settings check, told in the tool's terms: a setting taken from one of the tool's own
    /// variables (<c>ALITRYON_APPCODE</c>), which win over the <c>AliTryOn__*</c> forms, is named by it, since setting
    /// the other would change nothing; and the advice to use user secrets, which the tool does not read, is left out.
    /// </summary>
    public static string NameSources(string message, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (variable, key) in ShortVariables)
        {
            if (environment.TryGetValue(variable, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                message = message.Replace($"environment variable {Section}__{key}", $"environment variable {variable}", StringComparison.Ordinal);
            }

            message = message.Replace($"set it in user secrets (dotnet user-secrets set \"{Section}:{key}\" \"<your {key}>\") or in the environment variable", "set it in the environment variable", StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>
    /// A message of the SDK's about its settings, told in the tool's terms: the settings the SDK names as
    /// <c>TryOnClientOptions</c> properties (a rate limit's wait, a time limit run out) are the tool's configuration keys.
    /// </summary>
    public static string InToolTerms(string message) => ClientSetting.Replace(
        message
            .Replace("(AttemptTimeout or TotalTimeout of TryOnClientOptions)", $"({Section}:AttemptTimeout or {Section}:TotalTimeout)", StringComparison.Ordinal)
            .Replace("TryOnImageOptions.", Section + ":Images:", StringComparison.Ordinal),
        Section + ":");

    /// <summary>
    /// A setting the SDK names as a <c>TryOnClientOptions</c> property, but not <c>ImageHost</c>: an object set in code,
    /// which has no key (the tool's advice for a missing host names its own settings).
    /// </summary>
    private static readonly Regex ClientSetting = new(@"TryOnClientOptions\.(?!ImageHost\b)", RegexOptions.CultureInvariant);

    /// <exception cref="CliException">
    /// The config file is missing, a folder, not valid JSON, has no <c>"AliTryOn"</c> section, or has the client's settings
    /// outside it.
    /// </exception>
    public static IConfiguration Build(IReadOnlyDictionary<string, string> environment, string? configPath, string? appCode)
    {
        var builder = new ConfigurationBuilder();
        if (configPath is not null)
        {
            var path = Path.GetFullPath(configPath);
            if (Directory.Exists(path))
            {
                throw new CliException($"The config file '{configPath}' is a folder: give the path of a JSON file with an \"{Section}\" section.");
            }

            if (!File.Exists(path))
            {
                throw new CliException($"The config file '{configPath}' does not exist.");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            CheckFile(configPath, path);
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
        return builder.Build();
    }

    /// <summary>
    /// Reads the config file alone and refuses one the tool would read nothing from, or not all it holds: not JSON (with
    /// the line and position of the fault), no <c>"AliTryOn"</c> section (a misspelt one named), or the client's settings
    /// outside it (the wrapper forgotten). The app's own keys beside the section are left alone: an app's
    /// <c>appsettings.json</c> may be given as it is.
    /// </summary>
    /// <exception cref="CliException">The file cannot be read, or holds nothing the tool reads, or settings outside the section.</exception>
    private static void CheckFile(string configPath, string path)
    {
        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or IOException)
        {
            // The parser's position, not its message, which may quote a character of the file (of a credential).
            var json = exception.InnerException as System.Text.Json.JsonException ?? exception.InnerException?.InnerException as System.Text.Json.JsonException;
            var where = json is { LineNumber: { } line, BytePositionInLine: { } position } ? $": it is not valid JSON at line {line + 1}, position {position + 1}" : $": {exception.Message}";
            throw new CliException($"The config file '{configPath}' cannot be read{where}.");
        }

        var top = file.GetChildren().Where(static child => child.Value is not null || child.GetChildren().Any()).Select(static child => child.Key).ToArray();

        // The client's settings outside the section are a wrapper forgotten, read as nothing: a rate limit, a time limit.
        var outside = top.Where(key => ClientSettings.Contains(key, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (outside.Length > 0)
        {
            throw new CliException(
                $"The config file '{configPath}' has {string.Join(", ", outside)} outside its \"{Section}\" section, where the tool does not read {(outside.Length == 1 ? "it" : "them")}: "
                + $"put the settings inside it, {{ \"{Section}\": {{ \"{outside[0]}\": … }} }}.");
        }

        // A section misspelt is read as nothing, beside the right one too (a copy left behind, edited by mistake).
        var misspelt = top.FirstOrDefault(static key => !string.Equals(key, Section, StringComparison.OrdinalIgnoreCase) && AliTryOn.DependencyInjection.UnknownSettings.Distance(key, Section) <= 2);
        if (misspelt is not null)
        {
            throw new CliException($"The config file '{configPath}' has a section \"{misspelt}\", which the tool does not read: did you mean \"{Section}\"?");
        }

        if (!top.Contains(Section, StringComparer.OrdinalIgnoreCase))
        {
            throw new CliException($"The config file '{configPath}' has no \"{Section}\" section, so the tool would read nothing from it: put the settings in {{ \"{Section}\": {{ \"Endpoint\": …, \"RateLimit\": … }} }}.");
        }
    }

    /// <summary>The names of the client's settings, as they stand at the top of its section.</summary>
    private static readonly string[] ClientSettings =
    [
        nameof(TryOnClientOptions.Endpoint), nameof(TryOnClientOptions.AppCode), nameof(TryOnClientOptions.AppKey),
        nameof(TryOnClientOptions.AppSecret), nameof(TryOnClientOptions.AllowInsecureHttp), nameof(TryOnClientOptions.AttemptTimeout),
        nameof(TryOnClientOptions.TotalTimeout), nameof(TryOnClientOptions.Retry), nameof(TryOnClientOptions.RateLimit),
        nameof(TryOnClientOptions.Polling), nameof(TryOnClientOptions.Images),
    ];
}
