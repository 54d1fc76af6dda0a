using System.Collections.Concurrent;
using System.Diagnostics;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// Records the activities of the <c>AliTryOn</c> source that belong to this test: it starts a root activity, and
/// keeps only the stopped activities of that trace, so tests running in parallel do not mix.
/// </summary>
internal sealed class ActivityCapture : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly Activity _root;

    public ActivityCapture()
    {
        _root = new Activity("test-root");
        _root.SetIdFormat(ActivityIdFormat.W3C);
        _root.Start();
        var traceId = _root.TraceId;
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == "AliTryOn",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The root activity under which the test's calls run.</summary>
    public Activity Root => _root;

    /// <summary>The stopped activities of this test's trace, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>The single stopped activity named <paramref name="name"/>.</summary>
    public Activity Single(string name) => Assert.Single(_stopped, a => a.DisplayName == name);

    public void Dispose()
    {
        _listener.Dispose();
        _root.Stop();
    }
}
