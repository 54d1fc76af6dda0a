using System.Collections.Concurrent;

namespace AliTryOn.Tests.Images;

/// <summary>
/// An image host that publishes every image but one, on which it hangs: until it is cancelled, or, when it is
/// <see cref="Deaf"/>, until the test lets it go (a blocked socket read, a library without cancellation). With
/// <see cref="HangOnDeletes"/>, its deletes never end either (the same unresponsive storage).
/// </summary>
internal sealed class HangingImageHost(string hangOn) : TryOnImageHost
{
    private readonly ConcurrentQueue<string> _published = new();
    private readonly ConcurrentQueue<string> _deleted = new();
    private readonly TaskCompletionSource _letGo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _hanging;
    private volatile bool _cancelled;

    public bool Deaf { get; init; }

    public bool HangOnDeletes { get; init; }

    /// <summary>An image whose upload fails at once, as a storage that refuses it.</summary>
    public string? FailOn { get; init; }

    /// <summary>Whether <see cref="FailOn"/> fails as a time limit of the host's own does: with a cancellation no caller asked for.</summary>
    public bool FailsAsItsOwnTimeout { get; init; }

    public IReadOnlyList<string> Published => [.. _published];

    /// <summary>The keys whose delete was asked for (it may still hang).</summary>
    public IReadOnlyList<string> Deleted => [.. _deleted];

    public bool Hanging => _hanging;

    public bool Cancelled => _cancelled;

    /// <summary>Lets a <see cref="Deaf"/> host's hanging upload end, published.</summary>
    public void LetGo() => _letGo.TrySetResult();

    public override async Task<Uri> PublishAsync(TryOnImageUpload image, CancellationToken cancellationToken = default)
    {
        if (image.Name == FailOn)
        {
            throw FailsAsItsOwnTimeout ? new TaskCanceledException("the storage client's own time limit") : new IOException("storage refuses SENTINEL-storage-secret");
        }

        if (image.Name != hangOn)
        {
            _published.Enqueue(image.Key);
            return RecordingImageHost.UrlOf(image.Key);
        }

        _hanging = true;
        if (Deaf)
        {
            await _letGo.Task;
            _published.Enqueue(image.Key);
            return RecordingImageHost.UrlOf(image.Key);
        }

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
        return HangOnDeletes ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;
    }
}
