using System.Globalization;
using System.Threading.RateLimiting;

namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>
/// How often one client address may have this app ask the service about a job the app is not following: a key from
/// before a restart, from another instance, or made up. Each such lookup is a query under the AppCode, whose
/// throttling every shopper shares, so each address gets its share per minute (<see cref="SettingKey"/>, default
/// <see cref="DefaultPerMinute"/>); a job the app follows is answered from its store and costs nothing. Behind a proxy
/// or load balancer, have the app read the client's address from the forwarded headers (<c>UseForwardedHeaders</c>),
/// or every shopper shares the proxy's share.
/// </summary>
internal sealed class ServiceLookupLimiter : IDisposable
{
    /// <summary>The configuration key of the lookups allowed per client address and minute.</summary>
    public const string SettingKey = "Sample:ServiceLookupsPerMinute";

    /// <summary>A shopper polling every second from one address, with room to spare.</summary>
    public const int DefaultPerMinute = 90;

    private readonly PartitionedRateLimiter<string> _limiter;

    public ServiceLookupLimiter(IConfiguration configuration)
    {
        // Read as text: the app is trimmed-safe, and a value that is not a whole number is named rather than ignored.
        var text = configuration[SettingKey];
        var perMinute = DefaultPerMinute;
        if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out perMinute) || perMinute < 1))
        {
            throw new InvalidOperationException($"Configuration key '{SettingKey}' must be a whole number of 1 or more (it is '{text}').");
        }

        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Whether the caller of <paramref name="context"/> may have one more lookup now.</summary>
    public bool TryAcquire(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? string.Empty);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
