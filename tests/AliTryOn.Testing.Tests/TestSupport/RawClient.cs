using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AliTryOn.Testing.Tests.TestSupport;

/// <summary>Sends hand-made requests to an emulator, to check its answers byte for byte.</summary>
public sealed class RawClient(HttpMessageInvoker invoker, Uri baseAddress)
{
    public const string ValidTask = """{"model_image":"https://img.test/model.png","upper_image":{"type":0,"url":"https://img.test/top.png"}}""";

    internal RawClient(TryOnEmulator emulator)
        : this(new HttpMessageInvoker(emulator.CreateHandler()), TryOnEmulator.DefaultBaseAddress)
    {
    }

    public static string SubmitBody(params string[] tasks) => $$$"""{"data":{"task_list":[{{{string.Join(",", tasks)}}}]}}""";

    /// <summary>Replaces the request's nonce with <paramref name="nonce"/>, to replay it on purpose.</summary>
    public static Action<HttpRequestMessage> WithNonce(string nonce) => request =>
    {
        request.Headers.Remove("X-Ca-Nonce");
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", nonce);
    };

    public static string QueryBody(string resultKey) => $$$"""{"data":{"result_key":"{{{resultKey}}}"}}""";

    public Task<Answer> SubmitAsync(string? body, Action<HttpRequestMessage>? change = null) => SendAsync("api/v2/tryon/submit", body, change);

    public Task<Answer> QueryAsync(string resultKey, Action<HttpRequestMessage>? change = null) => SendAsync("api/v2/tryon/query", QueryBody(resultKey), change);

    /// <summary>A POST with valid credentials, a fresh nonce and a JSON body, then <paramref name="change"/>.</summary>
    public async Task<Answer> SendAsync(string path, string? body, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path));
        request.Headers.TryAddWithoutValidation("Authorization", "APPCODE " + TryOnEmulator.DefaultAppCode);
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", Guid.NewGuid().ToString());
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        change?.Invoke(request);
        return await SendAsync(request);
    }

    public async Task<Answer> GetAsync(Uri url, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        change?.Invoke(request);
        return await SendAsync(request);
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
        return new Answer(
            (int)response.StatusCode,
            bytes,
            response.Content.Headers.ContentType?.MediaType,
            Header("X-Ca-Request-Id"),
            Header("X-Ca-Error-Message"),
            Header("X-Ca-Error-Code"));
    }
}

public sealed record Answer(int Status, byte[] Bytes, string? ContentType, string? RequestIdHeader, string? GatewayMessage, string? GatewayCode)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public JsonElement Json => JsonDocument.Parse(Bytes).RootElement;

    public long Code => Json.GetProperty("code").GetInt64();

    public string ResultKey => Json.GetProperty("data").GetProperty("result_key").GetString()!;
}
