using AliTryOn.Http;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// What the handlers of a registered client read per call or attempt, derived from one version of its valid options:
/// replaced as a whole when they are reloaded, so a call never sees half of a change.
/// </summary>
/// <param name="Options">The options it was derived from.</param>
/// <param name="Credentials">How each attempt is authenticated.</param>
/// <param name="RateLimiter">The limits of the credential, shared with the other clients of it, or <see langword="null"/>.</param>
/// <param name="Pipeline">The resilience pipeline of the service's calls: time limits, retries and the rate limiter.</param>
/// <param name="DownloadPipeline">The resilience pipeline of result downloads.</param>
/// <param name="LimiterVersion">The <see cref="TryOnRateLimiterRegistry.Version"/> its limiter was read at.</param>
internal sealed record TryOnClientState(
    TryOnClientOptions Options,
    TryOnCredentials Credentials,
    TryOnRateLimiter? RateLimiter,
    TimedPipeline Pipeline,
    TimedPipeline DownloadPipeline,
    int LimiterVersion);
