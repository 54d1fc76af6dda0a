using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Distributed;

namespace AliTryOn.AspNetCore.Storage;

/// <summary>
/// Images in an <see cref="IDistributedCache"/>, each expiring with its URL: with a shared cache (Redis, SQL Server…)
/// every instance of the app serves every instance's images.
/// </summary>
internal sealed class DistributedCacheImageStore(IDistributedCache cache) : IAppImageStore
{
    /// <summary>Keeps the images apart from whatever else the application keeps in the same cache.</summary>
    internal const string Prefix = "AliTryOn:AppImageHost:";

    public string Description => $"IDistributedCache ({cache.GetType().Name})";

    public Task SaveAsync(string key, ReadOnlyMemory<byte> content, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        cache.SetAsync(Prefix + key, content.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpiration = expiresAt }, cancellationToken);

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => cache.GetAsync(Prefix + key, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => cache.RemoveAsync(Prefix + key, cancellationToken);
}
