using System.Collections.Concurrent;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>
/// An image host standing in for the S3 one: keeps what is published, answers <c>https://images.test/{key}</c>, and
/// records deletions. The services of these tests never fetch images, so the URL need not answer.
/// </summary>
public sealed class RecordingImageHost : TryOnImageHost
{
    private readonly ConcurrentDictionary<string, TryOnImageUpload> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deleted = new();

    public static Uri BaseAddress { get; } = new("https://images.test/");

    public IReadOnlyCollection<TryOnImageUpload> Published => [.. _published.Values];

    public IReadOnlyCollection<string> Deleted => [.. _deleted];

    public override Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        _published[image.Key] = image;
        return Task.FromResult(new Uri(BaseAddress, image.Key));
    }

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _deleted.Enqueue(key);
        return Task.CompletedTask;
    }
}
