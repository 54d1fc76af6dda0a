namespace AliTryOn.Benchmarks.Bulk;

/// <summary>The client's transport, counting every request it sends (attempts, retries included) by kind.</summary>
internal sealed class CountingHandler(HttpMessageHandler inner, RequestCounts counts) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        counts.Add(request.RequestUri!.AbsolutePath, (int)response.StatusCode);
        return response;
    }
}
