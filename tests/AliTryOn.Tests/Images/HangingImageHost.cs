namespace AliTryOn.Tests.Images;

/// <summary>An image host that publishes every image but one, on which it hangs until it is cancelled.</summary>
internal sealed class HangingImageHost(string hangOn) : TryOnImageHost
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _published = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _deleted = new();
    private volatile bool _hanging;
    private volatile bool _cancelled;

    public IReadOnlyList<string> Published => [.. _published];

    public IReadOnlyList<string> Deleted => [.. _deleted];

    public bool Hanging => _hanging;

    public bool Cancelled => _cancelled;

    public override async Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        if (image.Name != hangOn)
        {
            _published.Enqueue(image.Key);
            return RecordingImageHost.UrlOf(image.Key);
        }

        _hanging = true;
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
        catch (OperationCanceledException)
        {
            _cancelled = true;
            throw;
        }
    }

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _deleted.Enqueue(key);
        return Task.CompletedTask;
    }
}
