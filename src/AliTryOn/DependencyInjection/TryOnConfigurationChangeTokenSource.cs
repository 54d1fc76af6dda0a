using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// Reloads a client's options when its configuration changes (for example a rotated AppCode), and does nothing
/// when the application has no configuration.
/// </summary>
internal sealed class TryOnConfigurationChangeTokenSource(string name, IConfiguration? configuration) : IOptionsChangeTokenSource<TryOnClientOptions>
{
    private static readonly IChangeToken Never = new CancellationChangeToken(CancellationToken.None);

    public string Name { get; } = name;

    public IChangeToken GetChangeToken() => configuration?.GetReloadToken() ?? Never;
}
