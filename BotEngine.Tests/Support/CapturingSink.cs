using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace BotEngine.Tests.Support;

/// <summary>Every Serilog event the engine writes (register it as an <see cref="ILogEventSink"/> service).</summary>
public sealed class CapturingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
