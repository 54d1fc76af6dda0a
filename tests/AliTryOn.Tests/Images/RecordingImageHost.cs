using System.Collections.Concurrent;

namespace AliTryOn.Tests.Images;

/// <summary>An image host that keeps what it is given and can be told to fail, recording every call.</summary>
internal sealed class RecordingImageHost : TryOnImageHost
{
    private readonly ConcurrentQueue<TryOnImageUpload> _uploads = new();
    private readonly ConcurrentQueue<string> _deleted = new();

    public Func<TryOnImageUpload, Exception?> FailWith { get; init; } = static _ => null;

    public IReadOnlyList<TryOnImageUpload> Uploads => [.. _uploads];

    public IReadOnlyList<string> Deleted => [.. _deleted];

    public void UseIn(TryOnClientOptions options)
    {
        options.ImageHost = this;
        options.Retry.MaxRetries = 0;
    }

    public static Uri UrlOf(string key) => new($"https://storage.example.test/{key}?X-Signature=SENTINEL-storage-signature");

    public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        _uploads.Enqueue(image);
        return FailWith(image) is { } failure ? Task.FromException<Uri>(failure) : Task.FromResult(UrlOf(image.Key));
    }

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _deleted.Enqueue(key);
        return Task.CompletedTask;
    }
}
