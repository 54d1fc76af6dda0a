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
/// With a store, the client's rate limit is the instances' together: the calls waiting in a process are served oldest
/// work first, at most <see cref="TryOnRateLimitOptions.QueueLimit"/> of them, each with a permit of the store. The
/// process asks for one permit at a time per AppCode, so an implementation need not be fair among the calls of one
/// process.
/// </para>
/// <para>
/// When the store fails (it throws), or does not answer within half a second, the process keeps the same window on its
/// own, going on from the permits it took of the store, the failure is logged (event 1160), and the store is not asked
/// again for <c>10</c> seconds. A store that is down holds the process's calls half a second every 10 seconds at most,
/// and the service's throttling, which the client retries without billing, catches any excess of the instances together
/// meanwhile.
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
    /// <param name="clock">
    /// The client's clock (its <see cref="TimeProvider"/>): read it as late as possible, just before the permit is taken
    /// (once a connection is made), as the permit's time. The instances' clocks are assumed to agree to well within a
    /// window, as clocks kept by NTP do.
    /// </param>
    /// <param name="cancellationToken">
    /// Cancels the ask: the call was cancelled, its total time ran out, or the store took longer than the client waits for
    /// an answer (half a second).
    /// </param>
    /// <returns>
    /// <see cref="TimeSpan.Zero"/> (or less) when the permit was taken; otherwise how long, from the time read on
    /// <paramref name="clock"/>, until one comes back, after which the client asks again (it waits a
    /// <paramref name="window"/> at most).
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public abstract ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, TimeProvider clock, CancellationToken cancellationToken = default);
}
