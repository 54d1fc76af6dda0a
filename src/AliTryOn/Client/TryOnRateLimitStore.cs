using System;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn;

/// <summary>
/// Where the instances of an application that share one AppCode keep the calls they made, so that
/// <see cref="TryOnRateLimitOptions.RequestsPerSecond"/> holds across all of them rather than in each. The
/// <c>AliTryOn.Redis</c> package provides one over Redis; set it with <see cref="TryOnRateLimitOptions.Store"/>.
/// </summary>
/// <remarks>
/// <para>
/// The client asks the store once per attempt, after the process's own rate limit has let the attempt go: the process
/// keeps its order (oldest work first) and its queue limit, the store the total. The client asks for one permit at a
/// time per AppCode, so an implementation need not be fair among the calls of one process.
/// </para>
/// <para>
/// When the store fails (it throws), the attempt goes on under the process's own limit, the failure is logged (event
/// 1160), and the store is not asked again for <c>10</c> seconds: a store that is down slows no call, and the service's
/// throttling, which the client retries without billing, catches any excess meanwhile.
/// </para>
/// </remarks>
public abstract class TryOnRateLimitStore
{
    /// <summary>For derived stores.</summary>
    protected TryOnRateLimitStore()
    {
    }

    /// <summary>
    /// Takes a permit from the sliding window of <paramref name="limitKey"/> when it has one: at most
    /// <paramref name="permits"/> are taken in any <paramref name="window"/>, and each comes back one
    /// <paramref name="window"/> after it was taken.
    /// </summary>
    /// <param name="limitKey">
    /// The limit's name: the same for every client of one AppCode (or AppKey), in every instance. A hash of the
    /// credential, never the credential.
    /// </param>
    /// <param name="permits">How many calls the window allows (at least 1).</param>
    /// <param name="window">How long a permit is held (positive).</param>
    /// <param name="now">The time on the client's clock (its <see cref="TimeProvider"/>): the instances' clocks are
    /// assumed to agree to well within a window, as clocks kept by NTP do.</param>
    /// <param name="cancellationToken">Cancels the attempt: the call was cancelled, or its total time ran out.</param>
    /// <returns>
    /// <see cref="TimeSpan.Zero"/> (or less) when the permit was taken; otherwise how long until one comes back, after
    /// which the client asks again (it waits a <paramref name="window"/> at most).
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public abstract ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default);
}
