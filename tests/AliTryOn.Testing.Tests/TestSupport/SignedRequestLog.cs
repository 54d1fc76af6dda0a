using System.Collections.Concurrent;

namespace AliTryOn.Testing.Tests.TestSupport;

/// <summary>
/// Watches the requests a client signs, from a handler placed inside its authentication handler: keeps every
/// <c>X-Ca-Nonce</c> and <c>X-Ca-Signature</c> sent, and counts the requests that carried the expected AppCode (or, in
/// the signing mode, the expected AppKey with a signature) without keeping the AppCode.
/// </summary>
public sealed class SignedRequestLog
{
    private readonly string? _authorization;
    private readonly string? _appKey;
    private readonly ConcurrentQueue<string> _nonces = new();
    private readonly ConcurrentQueue<string> _signatures = new();
    private int _signedWithExpectedCredential;

    /// <summary>Watches a client of the AppCode mode.</summary>
    public SignedRequestLog(string expectedAppCode)
        : this("APPCODE " + expectedAppCode, null)
    {
    }

    private SignedRequestLog(string? authorization, string? appKey)
    {
        _authorization = authorization;
        _appKey = appKey;
    }

    /// <summary>Every nonce sent, in order.</summary>
    public IReadOnlyList<string> Nonces => [.. _nonces];

    /// <summary>Every <c>X-Ca-Signature</c> sent, in order.</summary>
    public IReadOnlyList<string> Signatures => [.. _signatures];

    /// <summary>How many requests carried <c>Authorization: APPCODE &lt;the expected AppCode&gt;</c>.</summary>
    public int SignedWithExpectedAppCode => _authorization is null ? 0 : Volatile.Read(ref _signedWithExpectedCredential);

    /// <summary>How many requests carried <c>X-Ca-Key: &lt;the expected AppKey&gt;</c>, a signature and no AppCode.</summary>
    public int SignedWithExpectedAppKey => _appKey is null ? 0 : Volatile.Read(ref _signedWithExpectedCredential);

    /// <summary>Watches a client of the AppKey/AppSecret signing mode.</summary>
    public static SignedRequestLog ForAppKey(string expectedAppKey) => new(null, expectedAppKey);

    /// <summary>A new handler for the client's chain (IHttpClientFactory builds chains more than once).</summary>
    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(SignedRequestLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers;
            foreach (var (name, queue) in new[] { ("X-Ca-Nonce", log._nonces), ("X-Ca-Signature", log._signatures) })
            {
                if (headers.TryGetValues(name, out var values))
                {
                    foreach (var value in values)
                    {
                        queue.Enqueue(value);
                    }
                }
            }

            var expected = log._authorization is not null
                ? headers.TryGetValues("Authorization", out var authorization) && authorization.SingleOrDefault() == log._authorization
                : headers.TryGetValues("X-Ca-Key", out var keys) && keys.SingleOrDefault() == log._appKey
                    && headers.Contains("X-Ca-Signature") && !headers.Contains("Authorization");
            if (expected)
            {
                Interlocked.Increment(ref log._signedWithExpectedCredential);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
