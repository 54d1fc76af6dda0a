using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// Captures every log entry at every level: the message, the structured values (which some providers write instead
/// of the message), the scopes and the exception.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            messages.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(p => $"{p.Key}={Describe(p.Value)}"))
                : string.Empty;
            messages.Enqueue($"{category} [{logLevel}] {eventId.Id} {formatter(state, exception)} | {values} {exception}");
        }

        private static string Describe(object? value) => value switch
        {
            string text => text,
            System.Collections.IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
            _ => value?.ToString() ?? "null",
        };
    }
}
