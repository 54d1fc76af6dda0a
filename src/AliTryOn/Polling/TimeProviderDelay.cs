using System;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Polling;

/// <summary>A wait on the client's clock, on every target: the runtime's from .NET 8, the TimeProvider package's before.</summary>
internal static class TimeProviderDelay
{
    /// <summary>Completes after <paramref name="delay"/> on <paramref name="timeProvider"/>, or is cancelled with <paramref name="cancellationToken"/>.</summary>
    public static Task DelayAsync(this TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken) =>
#if NET8_0_OR_GREATER
        Task.Delay(delay, timeProvider, cancellationToken);
#else
        timeProvider.Delay(delay, cancellationToken);
#endif
}
