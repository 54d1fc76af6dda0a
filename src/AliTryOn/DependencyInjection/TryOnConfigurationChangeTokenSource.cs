using System;
using System.Threading;
using AliTryOn.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// Reloads a client's options when its configuration changes (for example a rotated AppCode), and does nothing
/// when the application has no configuration. A reload that leaves the options invalid is not passed on: it is logged
/// (with the keys at fault, never a secret), and the clients keep their last valid options.
/// </summary>
/// <remarks>
/// The options monitor would otherwise throw the validation error out of the reload (out of
/// <see cref="IConfigurationRoot.Reload"/> or a file watcher's callback), drop its cached options, and make every client
/// resolved after it fail, while those resolved before went on with the old settings.
/// </remarks>
internal sealed class TryOnConfigurationChangeTokenSource : IOptionsChangeTokenSource<TryOnClientOptions>, IDisposable
{
    private static readonly IChangeToken Never = new CancellationChangeToken(CancellationToken.None);

    private readonly IOptionsFactory<TryOnClientOptions> _factory;
    private readonly ILogger _logger;
    private readonly string _client;
    private readonly IDisposable? _registration;
    private CancellationTokenSource _changed = new();

    public TryOnConfigurationChangeTokenSource(string name, IConfiguration? configuration, IOptionsFactory<TryOnClientOptions> factory, ILogger logger)
    {
        Name = name;
        _factory = factory;
        _logger = logger;
        _client = string.IsNullOrEmpty(name) ? "the default TryOnClient" : $"the TryOnClient named '{name}'";
        _registration = configuration is null ? null : ChangeToken.OnChange(configuration.GetReloadToken, Reloaded);
    }

    public string Name { get; }

    public IChangeToken GetChangeToken() => _registration is null ? Never : new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose() => _registration?.Dispose();

    /// <summary>Checks the reloaded options (binding and validation, as the monitor will) before the monitor sees them.</summary>
    private void Reloaded()
    {
        try
        {
            _ = _factory.Create(Name);
        }
        catch (OptionsValidationException invalid)
        {
            // The messages name keys and describe values without quoting a credential (see TryOnClientOptionsValidator).
            Log.ReloadedOptionsInvalid(_logger, _client, invalid.Message);
            return;
        }

        // Swapped before it fires: the monitor asks for the next token as soon as this one has fired.
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }
}
