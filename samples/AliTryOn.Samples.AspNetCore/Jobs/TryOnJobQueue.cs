using System.Threading.Channels;

namespace AliTryOn.Samples.AspNetCore.Jobs;

/// <summary>The result keys of submitted jobs, handed from <c>POST /tryon</c> to <see cref="TryOnJobWaiter"/>.</summary>
internal sealed class TryOnJobQueue
{
    // Unbounded: every key stands for a job already submitted (and billed), so refusing one would lose it.
    // The waiter bounds how many are waited for at once.
    private readonly Channel<string> _keys = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Hands a job to the waiter; never blocks.</summary>
    public void Enqueue(string resultKey)
    {
        if (!_keys.Writer.TryWrite(resultKey))
        {
            throw new InvalidOperationException("The job queue is closed.");
        }
    }

    /// <summary>The keys, as they arrive, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken = default) => _keys.Reader.ReadAllAsync(cancellationToken);
}
