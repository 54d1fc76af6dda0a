using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Testing;

/// <summary>
/// The emulator's image host: keeps published images in memory and serves them from the emulator's storage address
/// (<c>…/oss/images/{key}?Expires=…&amp;Signature=…</c>), so tests and samples submit local photos with no storage at
/// all. Clients made by <see cref="TryOnEmulator.CreateClient(Action{TryOnClientOptions})"/> and options made by
/// <see cref="TryOnEmulator.CreateClientOptions"/> use it already. Thread-safe.
/// </summary>
public sealed class TryOnEmulatorImageHost : TryOnImageHost
{
    internal const string PathPrefix = TryOnEmulator.StoragePrefix + "images/";

    private readonly ConcurrentDictionary<string, StoredImage> _images = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ResultUrlSigner _signer;
    private int _published;
    private int _deleted;

    internal TryOnEmulatorImageHost(Uri storageAddress, TimeProvider timeProvider, ResultUrlSigner signer)
    {
        // The storage address ends in /oss/; images live beside the results.
        BaseAddress = new Uri(storageAddress, "images/");
        _timeProvider = timeProvider;
        _signer = signer;
    }

    /// <summary>Where published images are served from: the emulator's storage address followed by <c>images/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The keys of the images held now (published and not deleted).</summary>
    public IReadOnlyCollection<string> Keys => [.. _images.Keys.Order(StringComparer.Ordinal)];

    /// <summary>How many images were published since the emulator was created.</summary>
    public int PublishCount => Volatile.Read(ref _published);

    /// <summary>How many images were deleted since the emulator was created.</summary>
    public int DeleteCount => Volatile.Read(ref _deleted);

    /// <summary>Keeps a copy of the image and returns its signed URL, valid until <see cref="TryOnImageUpload.ExpiresAt"/>.</summary>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Not used: nothing waits.</param>
    /// <returns>The image's URL on the emulator's storage host.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        _images[image.Key] = new StoredImage(image.Content.ToArray(), image.ContentType, image.ExpiresAt, image.Name);
        Interlocked.Increment(ref _published);
        var path = PathPrefix + image.Key;
        return Task.FromResult(new Uri(new Uri(BaseAddress, image.Key).AbsoluteUri + _signer.Sign(path, image.ExpiresAt.ToUnixTimeSeconds())));
    }

    /// <summary>Forgets an image; its URL answers 404 from then on.</summary>
    /// <param name="key">The image's key.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_images.TryRemove(key, out _))
        {
            Interlocked.Increment(ref _deleted);
        }

        return Task.CompletedTask;
    }

    /// <summary>The image at a storage path with its query, when the signature holds and it has not expired.</summary>
    internal StoredImage? Find(string path, string queryString, out bool expired)
    {
        expired = false;
        if (!path.StartsWith(PathPrefix, StringComparison.Ordinal) || !_signer.Verify(path, queryString, out var expires))
        {
            return null;
        }

        expired = _timeProvider.GetUtcNow().ToUnixTimeSeconds() > expires;
        return expired ? null : _images.GetValueOrDefault(path[PathPrefix.Length..]);
    }

    /// <summary>One image held.</summary>
    internal sealed record StoredImage(byte[] Content, string ContentType, DateTimeOffset ExpiresAt, string? Name);
}
