using System.Globalization;

namespace AliTryOn;

/// <summary>
/// A client-side limit on calls per AppCode, so that bulk work does not trip the service's throttling. Off by default.
/// Calls over the limit wait their turn (up to <see cref="QueueLimit"/> of them) rather than fail.
/// </summary>
/// <remarks>
/// Clients registered with dependency injection share one limit per AppCode (or AppKey, in the signing mode), whatever
/// their names; a client created without dependency injection has a limit of its own. Several instances of an
/// application (processes, machines) share <see cref="RequestsPerSecond"/> through a <see cref="Store"/>; without one,
/// each instance keeps the rate on its own. Every attempt, retries included,
/// takes a permit; result downloads take none. Calls waiting for a permit are served oldest work first: the queries of
/// a wait (<see cref="TryOnClient.WaitForCompletionAsync"/>, a bulk run's) by when the wait began, any other call by
/// when it was made; so under a busy limit the jobs that are due are polled before younger ones. With dependency
/// injection, limits changed by a configuration reload apply from the next call of every client of that AppCode (a call
/// already in flight, its retries included, or waiting for a permit finishes under the previous limit), and a rotated
/// AppCode takes the limit of its new AppCode.
/// </remarks>
public sealed class TryOnRateLimitOptions
{
    /// <summary>Calls per second, on average, with bursts up to one second's worth. Default: 0 (no limit).</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Calls in flight at once. Default: 0 (no limit).</summary>
    public int MaxConcurrentRequests { get; set; }

    /// <summary>
    /// How many calls may wait for a permit; past that a call fails at once with <see cref="TryOnThrottledException"/>.
    /// Default: 10,000. At least 0.
    /// </summary>
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>
    /// Where the instances sharing the AppCode keep their calls, so that <see cref="RequestsPerSecond"/> is their total
    /// rather than each one's (for example <c>AddTryOnRedisRateLimit</c> of the <c>AliTryOn.Redis</c> package). Default:
    /// none. Used with <see cref="RequestsPerSecond"/> only; <see cref="MaxConcurrentRequests"/> and
    /// <see cref="QueueLimit"/> stay each instance's. Every instance must set the same rate. Not read from configuration.
    /// </summary>
    public TryOnRateLimitStore? Store { get; set; }

    /// <summary>The limits and the store together, to tell whether two settings limit alike.</summary>
    internal (double RequestsPerSecond, int MaxConcurrentRequests, int QueueLimit, TryOnRateLimitStore? Store) Limits => (RequestsPerSecond, MaxConcurrentRequests, QueueLimit, Store);

    /// <summary>Whether any limit is set.</summary>
    public bool IsEnabled => RequestsPerSecond > 0 || MaxConcurrentRequests > 0;

    /// <summary>Lists the settings.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "RequestsPerSecond = {0}, MaxConcurrentRequests = {1}, QueueLimit = {2}, Store = {3}",
        RequestsPerSecond,
        MaxConcurrentRequests,
        QueueLimit,
        Store is null ? "(not set)" : Store.GetType().Name);
}
