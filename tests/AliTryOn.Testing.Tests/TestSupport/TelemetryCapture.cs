using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Testing.Tests.TestSupport;

/// <summary>
/// Captures, as text, everything through which a component could reveal a secret: every log entry of every category
/// and level (message, structured values, scopes, event id, exception), every activity of every source (tags, events,
/// links, baggage, status), and the exceptions and objects a test hands it.
/// </summary>
/// <remarks>
/// The activity listener is process-wide, so activities of tests running in parallel are captured too: scanning them
/// for a secret only this test uses is harmless, and <see cref="ActivitiesOf"/> keeps those of given traces.
/// </remarks>
public sealed class TelemetryCapture : IDisposable
{
    private const int MaxDepth = 4;

    private readonly ConcurrentQueue<CapturedText> _entries = new();
    private readonly ActivityListener _listener;

    public TelemetryCapture()
    {
        LoggerProvider = new Provider(this, "log");
        ServerLoggerProvider = new Provider(this, "server-log");
        _listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Started as well as stopped: an activity that never stops must not escape the scan.
            ActivityStarted = activity => AddActivity("activity-start", activity),
            ActivityStopped = activity => AddActivity("activity", activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Captures every log entry as kind <c>log</c>; register it with <c>AddProvider</c>.</summary>
    public ILoggerProvider LoggerProvider { get; }

    /// <summary>Captures every log entry as kind <c>server-log</c>, for a server the test hosts.</summary>
    public ILoggerProvider ServerLoggerProvider { get; }

    /// <summary>Everything captured so far.</summary>
    public IReadOnlyList<CapturedText> Entries => [.. _entries];

    /// <summary>Captured log entries, of the client (<c>log</c>) and of a hosted server (<c>server-log</c>).</summary>
    public IReadOnlyList<CapturedText> Logs => [.. _entries.Where(static e => e.Kind is "log" or "server-log")];

    /// <summary>Stopped activities of the given traces.</summary>
    public IReadOnlyList<CapturedText> ActivitiesOf(IReadOnlySet<string> traceIds) =>
        [.. _entries.Where(e => e.Kind == "activity" && e.TraceId is not null && traceIds.Contains(e.TraceId))];

    /// <summary>Captures an exception: each one in its chain with its message, text, data and every public property.</summary>
    public void AddException(string origin, Exception exception) => Add("exception", origin, DescribeException(exception));

    /// <summary>Captures an object's text and, for collections, every item's.</summary>
    public void AddObject(string origin, object? value) => Add("object", origin, (value?.ToString() ?? "null") + "\n" + Describe(value, 0));

    /// <summary>Every captured entry whose text contains <paramref name="value"/>, in any letter case.</summary>
    public IReadOnlyList<CapturedText> FindAll(string value) =>
        [.. _entries.Where(e => e.Text.Contains(value, StringComparison.OrdinalIgnoreCase) || e.Origin.Contains(value, StringComparison.OrdinalIgnoreCase))];

    public void Dispose() => _listener.Dispose();

    private void Add(string kind, string origin, string text, string? traceId = null) => _entries.Enqueue(new CapturedText(kind, origin, text, traceId));

    private void AddActivity(string kind, Activity activity)
    {
        var text = new StringBuilder();
        text.Append(activity.Source.Name).Append(' ').Append(activity.Source.Version).Append(" | ").Append(activity.OperationName)
            .Append(" | ").Append(activity.DisplayName).Append(" | ").Append(activity.Kind).Append(" | ").Append(activity.Id)
            .Append(" parent ").Append(activity.ParentId).Append(" | state ").AppendLine(activity.TraceStateString);
        text.Append("status ").Append(activity.Status).Append(": ").AppendLine(activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append("tag ").Append(key).Append('=').AppendLine(Describe(value, 0));
        }

        foreach (var (key, value) in activity.Baggage)
        {
            text.Append("baggage ").Append(key).Append('=').AppendLine(value);
        }

        foreach (var activityEvent in activity.Events)
        {
            text.Append("event ").AppendLine(activityEvent.Name);
            foreach (var (key, value) in activityEvent.Tags)
            {
                text.Append("  ").Append(key).Append('=').AppendLine(Describe(value, 0));
            }
        }

        foreach (var link in activity.Links)
        {
            text.Append("link ").AppendLine(link.Context.TraceId.ToString());
            foreach (var (key, value) in link.Tags ?? [])
            {
                text.Append("  ").Append(key).Append('=').AppendLine(Describe(value, 0));
            }
        }

        Add(kind, activity.Source.Name, text.ToString(), activity.TraceId.ToString());
    }

    private static string DescribeException(Exception exception)
    {
        var text = new StringBuilder();
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Queue<Exception>([exception]);
        while (pending.TryDequeue(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            text.Append("== ").AppendLine(current.GetType().FullName);
            text.Append("message: ").AppendLine(current.Message);
            text.Append("text: ").AppendLine(current.ToString());
            foreach (DictionaryEntry entry in current.Data)
            {
                text.Append("data ").Append(Describe(entry.Key, 0)).Append('=').AppendLine(Describe(entry.Value, 0));
            }

            // Every public property, so that whatever a subtype adds (Details, Tasks, LastJob, Job…) is scanned too.
            foreach (var property in current.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0 || property.Name == nameof(Exception.TargetSite))
                {
                    continue;
                }

                object? value;
                try
                {
                    value = property.GetValue(current);
                }
                catch (TargetInvocationException)
                {
                    continue;
                }

                switch (value)
                {
                    case Exception inner:
                        pending.Enqueue(inner);
                        break;
                    case IEnumerable<Exception> inners:
                        foreach (var inner in inners)
                        {
                            pending.Enqueue(inner);
                        }

                        break;
                    default:
                        text.Append(property.Name).Append('=').AppendLine(Describe(value, 0));
                        break;
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Text of a value: collections item by item and key/value pairs (of any type) as key=value.</summary>
    private static string Describe(object? value, int depth)
    {
        if (value is null)
        {
            return "null";
        }

        if (value is string text)
        {
            return text;
        }

        if (depth >= MaxDepth)
        {
            return value.ToString() ?? string.Empty;
        }

        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            return Describe(type.GetProperty("Key")!.GetValue(value), depth + 1) + "=" + Describe(type.GetProperty("Value")!.GetValue(value), depth + 1);
        }

        if (value is IDictionary dictionary)
        {
            var entries = new List<string>();
            foreach (DictionaryEntry entry in dictionary)
            {
                entries.Add(Describe(entry.Key, depth + 1) + "=" + Describe(entry.Value, depth + 1));
            }

            return "{" + string.Join("; ", entries) + "}";
        }

        if (value is IEnumerable items and not byte[])
        {
            // The object's own text too: a log state renders its message there.
            return value + " [" + string.Join(", ", items.Cast<object?>().Select(i => Describe(i, depth + 1))) + "]";
        }

        return value.ToString() ?? string.Empty;
    }

    private sealed class Provider(TelemetryCapture owner, string kind) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        private TelemetryCapture Owner => owner;

        private string Kind => kind;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        // The test owns the capture: a service provider disposing its logger factory must not end it.
        public void Dispose()
        {
        }

        private sealed class Logger(Provider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new StringBuilder();
                text.Append(logLevel).Append(" event ").Append(eventId.Id).Append(' ').AppendLine(eventId.Name);
                text.Append("message: ").AppendLine(formatter(state, exception));
                text.Append("values: ").AppendLine(Describe(state, 0));
                provider._scopes.ForEachScope(static (scope, b) => b.Append("scope: ").AppendLine(Describe(scope, 0)), text);
                if (exception is not null)
                {
                    text.AppendLine(DescribeException(exception));
                }

                provider.Owner.Add(provider.Kind, category, text.ToString());
            }
        }
    }
}
