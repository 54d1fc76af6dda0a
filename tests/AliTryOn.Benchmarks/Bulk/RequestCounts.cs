namespace AliTryOn.Benchmarks.Bulk;

/// <summary>Requests by kind, and how many of them were refused for throttling (403) or failed otherwise.</summary>
internal sealed class RequestCounts
{
    private int _submits;
    private int _queries;
    private int _downloads;
    private int _throttled;
    private int _otherFailures;

    public int Submits => _submits;

    public int Queries => _queries;

    public int Downloads => _downloads;

    public int Throttled => _throttled;

    public int OtherFailures => _otherFailures;

    public int GatewayRequests => _submits + _queries;

    /// <summary>Counts one request by its path and answer status; thread-safe.</summary>
    public void Add(string path, int status)
    {
        if (path.EndsWith("/tryon/submit", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _submits);
        }
        else if (path.EndsWith("/tryon/query", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _queries);
        }
        else
        {
            Interlocked.Increment(ref _downloads);
        }

        if (status == 403)
        {
            Interlocked.Increment(ref _throttled);
        }
        else if (status >= 400)
        {
            Interlocked.Increment(ref _otherFailures);
        }
    }

    public override string ToString() =>
        $"{Submits} submits, {Queries} queries, {Downloads} downloads; {Throttled} throttled (403), {OtherFailures} other failures";
}
