namespace AliTryOn.Cli.Configuration;

/// <summary>
/// The host of a client that only checks images (<c>alitryon check</c>) when none is configured: the client reads and
/// checks local files only when it has a host, and a check publishes nothing, so this one is never asked to.
/// </summary>
internal sealed class CheckOnlyImageHost : TryOnImageHost
{
    public static CheckOnlyImageHost Instance { get; } = new();

    /// <exception cref="InvalidOperationException">Always: a check publishes nothing.</exception>
    public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("alitryon check publishes nothing.");
}
