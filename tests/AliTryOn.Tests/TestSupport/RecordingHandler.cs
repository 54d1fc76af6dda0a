using System.Net;
using System.Text;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// A transport that records every request as it arrived (headers and body, read while the request is alive)
/// and answers from a script, synchronously, so tests on a fake clock stay deterministic. A script that returns
/// <see langword="null"/> leaves the request hanging until it is cancelled; one that throws fails it.
/// </summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, int, HttpResponseMessage?> _respond;
    private readonly List<RecordedRequest> _requests = [];

    public RecordingHandler(Func<RecordedRequest, int, HttpResponseMessage?> respond) => _respond = respond;

    public RecordingHandler(HttpStatusCode status, string body)
        : this((_, _) => Response(status, body))
    {
    }

    /// <summary>
    /// A script that answers every call with a job in <paramref name="statuses"/>: a query's answer names the job
    /// queried, as the service's does (the client refuses one for another job); a submit's is <paramref name="submitKey"/>.
    /// </summary>
    public static Func<RecordedRequest, int, HttpResponseMessage?> Jobs(string submitKey, params string[] statuses) =>
        (request, _) => Response(HttpStatusCode.OK, Json.Job(request.QueriedKey ?? submitKey, statuses));

    /// <summary>The clock whose time each request is recorded with; the system clock unless a test sets its fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

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
        // ConfigureAwait(false) as in library code: a request started on the test thread must not resume on xUnit's
        // synchronization context, or its continuations would run outside the fake clock's advance.
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var recorded = new RecordedRequest(
            Clock.GetUtcNow(),
            request.Method,
            request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.ToString(),
            body,
            request.Content?.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase));
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Add(recorded);
        }

        var response = _respond(recorded, index);
        if (response is null)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        return response!;
    }
}

internal sealed record RecordedRequest(
    DateTimeOffset At,
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string[]> Headers,
    string? ContentType,
    string? Body,
    IReadOnlyDictionary<string, string[]>? ContentHeaders = null)
{
    public string[] Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];

    public string[] ContentHeader(string name) => ContentHeaders is not null && ContentHeaders.TryGetValue(name, out var values) ? values : [];

    /// <summary>The result key a query asks about; <see langword="null"/> for any other request.</summary>
    public string? QueriedKey => Json.QueriedKey(Uri, Body);
}
