namespace AliTryOn.DependencyInjection;

/// <summary>
/// Marks that the client with this options name is registered, so a repeat registration adds only configuration; and
/// notes whether its service client's handler chain was built with its <see cref="Http.TransportTracker"/>.
/// </summary>
internal sealed class TryOnClientRegistration(string name, string? sectionPath)
{
    private volatile bool _hasTracker;

    /// <summary>The options name.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// The configuration section the client was registered with, by its first registration that named one;
    /// <see langword="null"/> while it has been registered with code alone. Set at registration, before any use.
    /// </summary>
    public string? SectionPath { get; set; } = sectionPath;

    /// <summary>
    /// Whether a handler chain of this client was built with its tracker: the factory ran the registration's handler
    /// actions. A factory of the application's own that ignores them gives clients without one.
    /// </summary>
    public bool HasTracker => _hasTracker;

    /// <summary>A handler chain of this client was built with its tracker.</summary>
    public void TrackerAdded() => _hasTracker = true;
}
