namespace AliTryOn.Tests.TestSupport;

/// <summary>A body that never sends a byte: reads wait until cancelled.</summary>
internal sealed class StallingStream : MemoryStream
{
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first read begins: the client is reading the body.</summary>
    public Task Reading => _reading.Task;

    public override bool CanSeek => false; // no length: the client must read to learn the body

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _reading.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
