using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AliTryOn.Benchmarks.Support;
using AliTryOn.Benchmarks.Wire;

namespace AliTryOn.Benchmarks.Contenders;

/// <summary>
/// The true limit: the raw call's work (same request bytes, same success check, same DTOs) done as cheaply as it can be
/// done by hand. Nonces come in batches (<see cref="BatchedNonceGenerator"/>), the <see cref="HttpClient"/> must have
/// an infinite timeout (no token source or timer per call), headers are added as text, and the body is read into a
/// pooled buffer sized by <c>Content-Length</c> and deserialized from it, not through the asynchronous stream reader.
/// Still no retries, timeouts, typed errors or validation.
/// </summary>
public sealed class TunedTryOnClient
{
    private const string JsonMediaType = "application/json";
    private const int DefaultBufferBytes = 4096;

    private readonly HttpClient _httpClient;
    private readonly string _authorization;
    private readonly BatchedNonceGenerator _nonces = new();
    private readonly Uri _submitUri = new(BenchmarkData.Endpoint + BenchmarkData.SubmitPath);
    private readonly Uri _queryUri = new(BenchmarkData.Endpoint + BenchmarkData.QueryPath);

    /// <param name="httpClient">Its <see cref="HttpClient.Timeout"/> must be infinite: that is part of the tuning.</param>
    /// <param name="appCode">The AppCode sent in <c>Authorization</c>.</param>
    public TunedTryOnClient(HttpClient httpClient, string appCode)
    {
        if (httpClient.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("The tuned baseline needs HttpClient.Timeout = Timeout.InfiniteTimeSpan.", nameof(httpClient));
        }

        _httpClient = httpClient;
        _authorization = "APPCODE " + appCode;
    }

    public Task<RawResponse> SubmitAsync(string modelImage, string upperImage, CancellationToken cancellationToken = default)
    {
        var body = new RawSubmitRequest(new RawSubmitData([new RawTaskInput(modelImage, new RawGarment(0, upperImage), 0)]));
        return SendAsync(_submitUri, body, RawJsonContext.Default.RawSubmitRequest, cancellationToken);
    }

    public Task<RawResponse> QueryAsync(string resultKey, CancellationToken cancellationToken = default) =>
        SendAsync(_queryUri, new RawQueryRequest(new RawQueryData(resultKey)), RawJsonContext.Default.RawQueryRequest, cancellationToken);

    private async Task<RawResponse> SendAsync<T>(Uri uri, T body, JsonTypeInfo<T> bodyType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        content.Headers.TryAddWithoutValidation("Content-Type", JsonMediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("Authorization", _authorization);
        headers.TryAddWithoutValidation("X-Ca-Nonce", _nonces.Create());
        headers.TryAddWithoutValidation("Accept", JsonMediaType);
        headers.TryAddWithoutValidation("Accept-Encoding", "identity"); // as the SDK asks

        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return RawTryOnClient.EnsureSuccess(await ReadAsync(response.Content, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The body read whole into a pooled buffer, then deserialized from it in one synchronous pass.</summary>
    internal static async ValueTask<RawResponse?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)(content.Headers.ContentLength ?? DefaultBufferBytes));
        try
        {
            var length = 0;
            using (var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), RawJsonContext.Default.RawResponse);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
