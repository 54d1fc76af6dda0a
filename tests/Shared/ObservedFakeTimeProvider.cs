using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Tests.Shared;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows how many one-shot timers are pending and how many have fired, so a
/// driver can tell when the code under test is waiting on the clock (and only then move it).
/// </summary>
/// <remarks>
/// Periodic timers (a rate limiter's refill, say) are not counted: they run in the background and never end a wait.
/// </remarks>
public sealed class ObservedFakeTimeProvider : FakeTimeProvider
{
    private readonly HashSet<ObservedTimer> _timers = [];
    private int _pending;
    private int _fired;

    /// <summary>One-shot timers scheduled, not yet fired, changed to never, or disposed.</summary>
    public int PendingTimers => Volatile.Read(ref _pending);

    /// <summary>How many timer callbacks have run.</summary>
    public int FiredTimers => Volatile.Read(ref _fired);

    /// <summary>Whether a pending one-shot timer is due within <paramref name="span"/> from now.</summary>
    public bool HasTimerDueWithin(TimeSpan span)
    {
        var limit = GetUtcNow() + span;
        lock (_timers)
        {
            return _timers.Any(t => t.Due <= limit);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(this);
        timer.Schedule(dueTime, period);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return timer;
    }

    private sealed class ObservedTimer(ObservedFakeTimeProvider owner) : ITimer
    {
        private bool _counted;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Uncount();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Uncount();
            return Inner.DisposeAsync();
        }

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            var oneShot = dueTime != Timeout.InfiniteTimeSpan && (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero);
            if (oneShot)
            {
                Due = owner.GetUtcNow() + dueTime;
                Count();
            }
            else
            {
                Uncount();
            }
        }

        public void Fired()
        {
            Interlocked.Increment(ref owner._fired);
            Uncount();
        }

        private void Count()
        {
            lock (this)
            {
                if (!_counted)
                {
                    _counted = true;
                    Interlocked.Increment(ref owner._pending);
                    lock (owner._timers)
                    {
                        owner._timers.Add(this);
                    }
                }
            }
        }

        private void Uncount()
        {
            lock (this)
            {
                if (_counted)
                {
                    _counted = false;
                    Interlocked.Decrement(ref owner._pending);
                    lock (owner._timers)
                    {
                        owner._timers.Remove(this);
                    }
                }
            }
        }
    }
}
