namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>The answer to <c>POST /tryon</c> (202 Accepted).</summary>
/// <param name="ResultKey">The job's key: all that is needed to follow it, also after a restart.</param>
/// <param name="StatusUrl">Where to follow it: <c>GET /tryon/{resultKey}</c>; also the <c>Location</c> header.</param>
public sealed record SubmitTryOnResponse(string ResultKey, string StatusUrl);
