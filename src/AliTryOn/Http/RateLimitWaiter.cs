using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// A call waiting for a permit of the client's rate limit (<see cref="TimedReleaseRateLimiter"/>, or
/// <see cref="SharedRateLimit"/> when the instances share it): served oldest work first (<see cref="Order"/>).
/// </summary>
/// <param name="origin">When the call's work began: a timestamp of the client's clock (<see cref="WorkOrigin"/>).</param>
/// <param name="arrival">The call's place among those of the same origin.</param>
internal sealed class RateLimitWaiter(long origin, long arrival)
{
    public long Origin { get; } = origin;

    public long Arrival { get; } = arrival;

    // Continuations run on the thread pool, not inside the timer or the loop that granted the permit.
    public TaskCompletionSource<RateLimitLease> Lease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Oldest work first, then first come.</summary>
    public sealed class Order : IComparer<RateLimitWaiter>
    {
        public static readonly Order Instance = new();

        public int Compare(RateLimitWaiter? x, RateLimitWaiter? y)
        {
            var byOrigin = x!.Origin.CompareTo(y!.Origin);
            return byOrigin != 0 ? byOrigin : x.Arrival.CompareTo(y.Arrival);
        }
    }
}
