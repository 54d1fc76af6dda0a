using System;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.AspNetCore.Storage;

/// <summary>Where an <see cref="AppImageHost"/> keeps images. Keys reaching a store are always well-formed (see <see cref="Signing.ImageKey"/>).</summary>
internal interface IAppImageStore
{
    /// <summary>What the store is, for <see cref="AppImageHost.ToString"/>.</summary>
    string Description { get; }

    /// <summary>Keeps <paramref name="content"/> under <paramref name="key"/>, until <paramref name="expiresAt"/> at least.</summary>
    Task SaveAsync(string key, ReadOnlyMemory<byte> content, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The image under <paramref name="key"/>, or <see langword="null"/> when there is none.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the image under <paramref name="key"/>, if any.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
