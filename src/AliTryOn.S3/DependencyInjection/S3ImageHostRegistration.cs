namespace AliTryOn.S3.DependencyInjection;

/// <summary>Marks that the S3 image host of one options name is registered, so a repeat call adds configuration only.</summary>
/// <param name="Name">The options name: the client's name, or the default name for the host of every client.</param>
internal sealed record S3ImageHostRegistration(string Name);
