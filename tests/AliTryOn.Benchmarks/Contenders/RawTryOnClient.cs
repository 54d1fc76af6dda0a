using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AliTryOn.Benchmarks.Support;
using AliTryOn.Benchmarks.Wire;

namespace AliTryOn.Benchmarks.Contenders;

/// <summary>
/// The limit: the two calls written by hand by a competent engineer, with the same headers and body the SDK sends,
/// source-generated System.Text.Json, and a success check. No retries, typed errors or validation, no timeout but
/// HttpClient's default, and one secure-generator call per nonce, as such code is usually written.
/// </summary>
public sealed class RawTryOnClient(HttpClient httpClient, string appCode)
{
    private readonly string _authorization = "APPCODE " + appCode;
    private readonly Uri _submitUri = new(BenchmarkData.Endpoint + BenchmarkData.SubmitPath);
    private readonly Uri _queryUri = new(BenchmarkData.Endpoint + BenchmarkData.QueryPath);

    public Task<RawResponse> SubmitAsync(string modelImage, string upperImage, CancellationToken cancellationToken = default)
    {
        var body = new RawSubmitRequest(new RawSubmitData([new RawTaskInput(modelImage, new RawGarment(0, upperImage), 0)]));
        return SendAsync(_submitUri, body, RawJsonContext.Default.RawSubmitRequest, cancellationToken);
    }

    public Task<RawResponse> QueryAsync(string resultKey, CancellationToken cancellationToken = default) =>
        SendAsync(_queryUri, new RawQueryRequest(new RawQueryData(resultKey)), RawJsonContext.Default.RawQueryRequest, cancellationToken);

    /// <summary>128 bits from a secure generator, as 32 lowercase hex digits: the SDK's nonce format.</summary>
    public static string CreateNonce()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private async Task<RawResponse> SendAsync<T>(Uri uri, T body, JsonTypeInfo<T> bodyType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", CreateNonce());
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        // No content coding, as the SDK asks: a gzipped answer to a submit would lose the billed job's key.
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");

        using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return EnsureSuccess(await response.Content.ReadFromJsonAsync(RawJsonContext.Default.RawResponse, cancellationToken));
    }

    /// <summary>What a careful hand-written call checks before trusting a 2xx answer's body (Refit's peer shares it).</summary>
    public static RawResponse EnsureSuccess(RawResponse? response) =>
        response is { IsSuccess: true } ? response : throw new HttpRequestException($"The try-on call failed: code {response?.Code}.");
}
