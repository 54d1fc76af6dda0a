using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// Captures every log entry at every level: the message, the structured values (which some providers write instead
/// of the message), the scopes and the exception.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly ConcurrentQueue<string> _messages = new();

    /// <summary>Every entry and scope as one line of text, for scanning.</summary>
    public IReadOnlyCollection<string> Messages => _messages;

    /// <summary>Every entry, structured.</summary>
    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>The lowest level the loggers report as enabled; <see cref="LogLevel.Trace"/> unless set.</summary>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Trace;

    /// <summary>The entries with event id <paramref name="eventId"/>.</summary>
    public IReadOnlyList<CapturedLog> WithId(int eventId) => [.. _entries.Where(e => e.EventId.Id == eventId)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._messages.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var pairs = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var values = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var message = formatter(state, exception);
            owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId, message, values, exception));
            owner._messages.Enqueue($"{category} [{logLevel}] {eventId.Id} {message} | {string.Join(", ", values.Select(p => $"{p.Key}={Describe(p.Value)}"))} {exception}");
        }

        private static string Describe(object? value) => value switch
        {
            string text => text,
            System.Collections.IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
            _ => value?.ToString() ?? "null",
        };
    }
}

/// <summary>One captured log entry.</summary>
internal sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyDictionary<string, object?> Values,
    Exception? Exception)
{
    public object? this[string name] => Values.TryGetValue(name, out var value) ? value : null;
}
