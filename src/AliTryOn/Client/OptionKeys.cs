namespace AliTryOn.Client;

/// <summary>
/// How validation failures name a setting: a configuration key (<c>AliTryOn:AppCode</c>, with its environment
/// variable) or a property path (<c>TryOnClientOptions.AppCode</c>) for settings made in code.
/// </summary>
internal sealed class OptionKeys
{
    private readonly string _prefix;
    private readonly string? _clientName;
    private readonly bool _isConfiguration;

    private OptionKeys(string prefix, string separator, bool isConfiguration, string? clientName)
    {
        _prefix = prefix;
        Separator = separator;
        _isConfiguration = isConfiguration;
        _clientName = string.IsNullOrEmpty(clientName) ? null : clientName;
    }

    /// <summary>Settings made in code for an unnamed client.</summary>
    public static OptionKeys Code { get; } = ForCode(clientName: null);

    /// <summary>The separator between a setting and its sub-setting: <c>:</c> for configuration, <c>.</c> for code.</summary>
    public string Separator { get; }

    /// <summary>Settings made in code, for the client registered under <paramref name="clientName"/>.</summary>
    public static OptionKeys ForCode(string? clientName) => new("TryOnClientOptions.", ".", isConfiguration: false, clientName);

    /// <summary>Settings bound from the configuration section at <paramref name="sectionPath"/>, such as <c>AliTryOn</c>.</summary>
    public static OptionKeys ForSection(string sectionPath) =>
        new(string.IsNullOrEmpty(sectionPath) ? string.Empty : sectionPath + ":", ":", isConfiguration: true, clientName: null);

    /// <summary>The full key of a setting, for example <c>AliTryOn:Polling:Timeout</c>.</summary>
    public string Key(string setting) => _prefix + setting;

    /// <summary>Whether the settings come from configuration (so a secret belongs in user secrets or the environment).</summary>
    public bool IsConfiguration => _isConfiguration;

    /// <summary>Names the setting for a message: the key and its environment variable, or the property path.</summary>
    public string Describe(string setting)
    {
        var key = Key(setting);
        if (_isConfiguration)
        {
            return $"Configuration key '{key}' (environment variable {key.Replace(":", "__")})";
        }

        return _clientName is null ? key : $"{key} of the TryOnClient named '{_clientName}'";
    }
}
