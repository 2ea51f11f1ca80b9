using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BotEngine.Tests.Support;

/// <summary>Keeps every log line (level, category, message, values, exception) at every level.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret could hide in a property the template does not render.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={Expand(p.Value)}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }

        // Header values arrive as string sequences; a structured sink writes each of them.
        private static object? Expand(object? value) =>
            value is not string && value is IEnumerable<string> strings ? string.Join(",", strings) : value;
    }
}
