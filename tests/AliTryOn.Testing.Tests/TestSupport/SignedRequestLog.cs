using System.Collections.Concurrent;

namespace AliTryOn.Testing.Tests.TestSupport;

/// <summary>
/// Watches the requests a client signs, from a handler placed inside its authentication handler: keeps every
/// <c>X-Ca-Nonce</c> sent, and counts the requests that carried the expected AppCode without keeping the AppCode.
/// </summary>
public sealed class SignedRequestLog(string expectedAppCode)
{
    private readonly string _authorization = "APPCODE " + expectedAppCode;
    private readonly ConcurrentQueue<string> _nonces = new();
    private int _signedWithExpectedAppCode;

    /// <summary>Every nonce sent, in order.</summary>
    public IReadOnlyList<string> Nonces => [.. _nonces];

    /// <summary>How many requests carried <c>Authorization: APPCODE &lt;the expected AppCode&gt;</c>.</summary>
    public int SignedWithExpectedAppCode => Volatile.Read(ref _signedWithExpectedAppCode);

    /// <summary>A new handler for the client's chain (IHttpClientFactory builds chains more than once).</summary>
    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(SignedRequestLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("X-Ca-Nonce", out var nonces))
            {
                foreach (var nonce in nonces)
                {
                    log._nonces.Enqueue(nonce);
                }
            }

            if (request.Headers.TryGetValues("Authorization", out var values)
                && values.SingleOrDefault() == log._authorization)
            {
                Interlocked.Increment(ref log._signedWithExpectedAppCode);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
