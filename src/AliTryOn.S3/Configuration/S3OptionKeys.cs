using Microsoft.Extensions.Configuration;

namespace AliTryOn.S3.Configuration;

/// <summary>
/// How validation failures name a setting of <see cref="S3ImageHostOptions"/>: a configuration key
/// (<c>AliTryOn:Images:S3:BucketName</c>, with its environment variable) or a property path for settings made in code.
/// </summary>
internal sealed class S3OptionKeys
{
    private readonly string _prefix;
    private readonly string? _clientName;

    private S3OptionKeys(string prefix, bool isConfiguration, string? clientName)
    {
        _prefix = prefix;
        IsConfiguration = isConfiguration;
        _clientName = string.IsNullOrEmpty(clientName) ? null : clientName;
    }

    /// <summary>Settings made in code, for every client.</summary>
    public static S3OptionKeys Code { get; } = ForCode(clientName: null);

    /// <summary>Whether the settings come from configuration (so a secret belongs in user secrets or the environment).</summary>
    public bool IsConfiguration { get; }

    /// <summary>Settings made in code, for the host of the client named <paramref name="clientName"/> (or every client).</summary>
    public static S3OptionKeys ForCode(string? clientName) => new("S3ImageHostOptions.", isConfiguration: false, clientName);

    /// <summary>Settings bound from the configuration section at <paramref name="sectionPath"/>, such as <c>AliTryOn:Images:S3</c>.</summary>
    public static S3OptionKeys ForSection(string sectionPath) =>
        new(sectionPath.Length == 0 ? string.Empty : sectionPath + ":", isConfiguration: true, clientName: null);

    /// <summary>Settings bound from <paramref name="configuration"/>: its path when it is a section, else the root.</summary>
    public static S3OptionKeys ForSection(IConfiguration configuration) => ForSection(PathOf(configuration));

    /// <summary>The path of <paramref name="configuration"/> when it is a section, else empty (the root).</summary>
    public static string PathOf(IConfiguration configuration) => (configuration as IConfigurationSection)?.Path ?? string.Empty;

    /// <summary>The full key of a setting, for example <c>AliTryOn:Images:S3:BucketName</c>.</summary>
    public string Key(string setting) => _prefix + setting;

    /// <summary>Names the setting for a message: the key and its environment variable, or the property path.</summary>
    public string Describe(string setting)
    {
        var key = Key(setting);
        if (IsConfiguration)
        {
            return $"Configuration key '{key}' (environment variable {key.Replace(":", "__")})";
        }

        return _clientName is null ? key : $"{key} of the image host of the TryOnClient named '{_clientName}'";
    }
}
