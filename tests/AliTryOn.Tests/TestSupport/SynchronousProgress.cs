namespace AliTryOn.Tests.TestSupport;

/// <summary>Reports on the caller's thread, in order, as it happens (<see cref="Progress{T}"/> would post each report).</summary>
internal sealed class SynchronousProgress(Action<TryOnJob> report) : IProgress<TryOnJob>
{
    public void Report(TryOnJob value) => report(value);
}
