using System.Threading;

namespace AliTryOn.Http;

/// <summary>
/// When the work a call serves began, as a timestamp of the client's clock: how calls waiting for a rate-limit permit
/// are ordered (<see cref="TimedReleaseRateLimiter"/>, oldest work first). A wait sets it for the queries it makes (the
/// wait's start); any other call is work of its own, begun when it is made.
/// </summary>
/// <remarks>
/// An <see cref="AsyncLocal{T}"/> rather than a parameter: the wait queries through the public, overridable
/// <c>QueryAsync</c>, whose signature cannot carry it. The value flows only down the wait's own calls: it is set
/// inside the wait's async method, so its caller and every other wait keep their own.
/// </remarks>
internal static class WorkOrigin
{
    private static readonly AsyncLocal<long?> Current = new();

    /// <summary>The origin set by the wait this code runs in, or <see langword="null"/> outside any wait.</summary>
    public static long? Value => Current.Value;

    /// <summary>Marks the calls made from here down (in this async flow) as serving work that began at <paramref name="timestamp"/>.</summary>
    public static void Set(long timestamp) => Current.Value = timestamp;
}
