using System.Net;

namespace AliTryOn.Tests.TestSupport;

/// <summary>A transport that holds every request until the test releases it, and counts how many are in flight.</summary>
internal sealed class GateHandler : HttpMessageHandler
{
    private readonly SemaphoreSlim _gate = new(0);
    private int _inFlight;
    private int _maxInFlight;
    private int _arrived;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Lets <paramref name="count"/> held requests answer.</summary>
    public void Release(int count = 1) => _gate.Release(count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _arrived);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job(Json.QueriedKey(request.RequestUri!, body) ?? "rk", "RUNNING"));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
