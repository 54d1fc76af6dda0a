using AliTryOn.Benchmarks.Wire;
using Refit;

namespace AliTryOn.Benchmarks.Contenders;

/// <summary>
/// The peer: the same two endpoints as a Refit interface, over the same DTOs as the raw call. Content-Type is set
/// here because Refit's System.Text.Json serializer would send <c>application/json; charset=utf-8</c>, not the
/// exact <c>application/json</c> the gateway signs. <c>Accept-Encoding: identity</c> as the SDK asks (a gzipped answer to a
/// submit would lose the billed job's key).
/// </summary>
[Headers("Accept: application/json", "Accept-Encoding: identity", "Content-Type: application/json")]
public interface ITryOnRefitApi
{
    [Post("/api/v2/tryon/submit")]
    Task<RawResponse> SubmitAsync([Body] RawSubmitRequest request, CancellationToken cancellationToken = default);

    [Post("/api/v2/tryon/query")]
    Task<RawResponse> QueryAsync([Body] RawQueryRequest request, CancellationToken cancellationToken = default);
}
