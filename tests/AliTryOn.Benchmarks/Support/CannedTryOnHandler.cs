using System.Net;

namespace AliTryOn.Benchmarks.Support;

/// <summary>
/// The service, in memory: answers the submit and query paths with cached bodies, in a fresh response each call, with
/// the headers a gateway sends. No sockets, so only the client's own cost is measured. Shared by every contender.
/// </summary>
public sealed class CannedTryOnHandler(bool asynchronous = false) : HttpMessageHandler
{
    /// <summary>Set only while the contenders are checked: every request is kept as sent, body included.</summary>
    public List<SentRequest>? Recorded { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Recorded is { } recorded)
        {
            recorded.Add(await SentRequest.ReadAsync(request, cancellationToken));
        }
        else if (request.Content is { } content)
        {
            // A real transport writes the body to the wire; so must this one, or lazily serialized content (Refit's) is free.
            await content.CopyToAsync(Stream.Null, cancellationToken);
        }

        if (asynchronous)
        {
            // The network: every caller's async frame suspends once, as over a socket.
            await Task.Yield();
        }

        return CreateResponse(request);
    }

    /// <summary>The answer to <paramref name="request"/>, built as a transport builds one from the wire.</summary>
    public static HttpResponseMessage CreateResponse(HttpRequestMessage request)
    {
        var uri = request.RequestUri!.OriginalString;
        var body = uri.EndsWith(BenchmarkData.SubmitPath, StringComparison.Ordinal) ? BenchmarkData.SubmitResponse
            : uri.EndsWith(BenchmarkData.QueryPath, StringComparison.Ordinal) ? BenchmarkData.QueryResponse
            : null;
        if (body is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        return CreateResponse(body, request);
    }

    public static HttpResponseMessage CreateResponse(byte[] body, HttpRequestMessage? request)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json;charset=UTF-8");
        content.Headers.ContentLength = body.Length;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.TryAddWithoutValidation("X-Ca-Request-Id", BenchmarkData.RequestId);
        return response;
    }
}
