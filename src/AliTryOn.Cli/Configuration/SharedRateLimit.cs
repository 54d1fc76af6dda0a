using AliTryOn.Cli.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Cli.Configuration;

/// <summary>
/// The rate limit that several runs of the tool (on one machine or several) and the applications sharing their AppCode
/// keep together: with <c>AliTryOn:RateLimit:Redis</c> set to a Redis configuration string, <c>RateLimit:RequestsPerSecond</c>
/// is their total, kept in that Redis (the AliTryOn.Redis package).
/// </summary>
internal static class SharedRateLimit
{
    /// <summary>The setting's key, relative to the "AliTryOn" section.</summary>
    public const string Key = "RateLimit:Redis";

    /// <summary>Keeps the client's rate limit in the Redis the settings name, if they name one.</summary>
    /// <exception cref="CliException">The setting is not a Redis configuration string; the message names the key and quotes none of the value.</exception>
    public static void Add(IServiceCollection services, IConfigurationSection section)
    {
        var configuration = section[Key];
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return;
        }

        try
        {
            services.AddTryOnRedisRateLimit(configuration);
        }
        catch (ArgumentException refused)
        {
            var message = refused.ParamName is { } name ? refused.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : refused.Message;
            throw new CliException($"{CliSettings.Section}:{Key}: {message}");
        }
    }
}
