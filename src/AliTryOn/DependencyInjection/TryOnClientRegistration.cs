namespace AliTryOn.DependencyInjection;

/// <summary>Marks that the client with this options name is registered, so a repeat registration adds only configuration.</summary>
internal sealed record TryOnClientRegistration(string Name);
