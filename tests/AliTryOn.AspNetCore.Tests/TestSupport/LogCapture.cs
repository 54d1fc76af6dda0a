using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>Every log entry of an app at every level, flattened to text: category, level, event, message, state and exception.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, EventId EventId, string Text)> _entries = new();

    public IReadOnlyList<(string Category, EventId EventId, string Text)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._entries.Enqueue((category, eventId, $"{category} {logLevel} {eventId} {formatter(state, exception)} [{values}] {exception}"));
        }
    }
}
