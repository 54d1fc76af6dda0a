using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Tests.Shared;

/// <summary>
/// A store around another (a real Redis store, in the tests that link this) that counts the asks on their way and the
/// waits it gave, so a test can move a fake clock without giving up an ask that real I/O is still answering.
/// </summary>
public sealed class InFlightStore(TryOnRateLimitStore inner) : TryOnRateLimitStore
{
    private int _inFlight;
    private int _refused;

    /// <summary>Asks sent and not answered yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Answers that said to wait.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>
    /// Moves <paramref name="time"/> by <paramref name="by"/> in steps well under the client's half a second for an ask,
    /// each once no ask of <paramref name="stores"/> is on its way: a step never times out an answer of real I/O.
    /// </summary>
    public static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan by, params InFlightStore[] stores)
    {
        var never = new TaskCompletionSource().Task;
        var step = TimeSpan.FromMilliseconds(100);
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            await FakeClock.SettleAsync(never, () => stores.All(s => s.InFlight == 0));
            FakeClock.Advance(time, by - moved < step ? by - moved : step);
        }
    }

    public override async ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            var wait = await inner.TryTakeAsync(limitKey, permits, window, clock, cancellationToken);
            if (wait > TimeSpan.Zero)
            {
                Interlocked.Increment(ref _refused);
            }

            return wait;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
