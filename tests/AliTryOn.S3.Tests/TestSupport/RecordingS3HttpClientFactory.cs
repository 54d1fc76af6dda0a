using System.Collections.Concurrent;
using Amazon.Runtime;

namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>
/// The HTTP clients of an AWS SDK client (<see cref="ClientConfig.HttpClientFactory"/>): every request the SDK sends to
/// the store is recorded with its method, URL and every header, as it leaves the process.
/// </summary>
internal sealed class RecordingS3HttpClientFactory : HttpClientFactory
{
    private readonly ConcurrentQueue<SentRequest> _requests = new();

    public IReadOnlyList<SentRequest> Requests => [.. _requests];

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Recorder(this, new SocketsHttpHandler { AllowAutoRedirect = false }));

    // Its own client every time, so nothing bypasses the recorder through the SDK's cache.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    /// <summary>One request to the store.</summary>
    /// <param name="Method">The HTTP method.</param>
    /// <param name="Url">The URL, with its query.</param>
    /// <param name="Headers">Every request and content header, values joined with a comma.</param>
    internal sealed record SentRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers)
    {
        public override string ToString() => $"{Method} {Url}\n{string.Join("\n", Headers.Select(static h => h.Key + ": " + h.Value))}";
    }

    private sealed class Recorder(RecordingS3HttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            {
                headers[name] = string.Join(", ", values);
            }

            owner._requests.Enqueue(new SentRequest(request.Method.Method, request.RequestUri!, headers));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
