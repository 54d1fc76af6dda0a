using System.Net;
using System.Text;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// A transport that records every request as it arrived (headers and body, read while the request is alive)
/// and answers from a script.
/// </summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, int, HttpResponseMessage> _respond;
    private readonly List<RecordedRequest> _requests = [];

    public RecordingHandler(Func<RecordedRequest, int, HttpResponseMessage> respond) => _respond = respond;

    public RecordingHandler(HttpStatusCode status, string body)
        : this((_, _) => Response(status, body))
    {
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public static HttpResponseMessage Response(HttpStatusCode status, string? body, string mediaType = "application/json")
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.ToString(),
            body);
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Add(recorded);
        }

        return _respond(recorded, index);
    }
}

internal sealed record RecordedRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string[]> Headers,
    string? ContentType,
    string? Body)
{
    public string[] Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];
}
