using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace BotEngine.Operations;

/// <summary>
/// Adds what the console template shows around a message: <c>ConversationTag</c>, " [line:U… event 01H…]" on every
/// line written while an event of a conversation is handled (the delivery worker's logging scope);
/// <c>JournalPriority</c>, the "&lt;3&gt;" syslog prefix journald turns into the entry's priority, only when stdout
/// is the journal (systemd sets <c>JOURNAL_STREAM</c>); and <c>ConsoleTime</c>, the local time, only when it is not
/// (journald stamps each line itself). Properties that are absent render as nothing. Every duration becomes readable
/// ("retrying in 766 ms", not "00:00:00.7657347").
/// </summary>
internal sealed class LogLineEnricher(bool underJournal) : ILogEventEnricher
{
    public const string ConversationTag = nameof(ConversationTag);
    public const string JournalPriority = nameof(JournalPriority);
    public const string ConsoleTime = nameof(ConsoleTime);

    public LogLineEnricher()
        : this(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")))
    {
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var conversation = Text(logEvent, "Conversation");
        var eventId = Text(logEvent, "EventId");
        if (conversation is not null || eventId is not null)
        {
            var tag = eventId is null ? $" [{conversation}]" : $" [{conversation} event {eventId}]";
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(ConversationTag, tag));
        }

        if (underJournal)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(JournalPriority, Priority(logEvent.Level)));
        }
        else
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(ConsoleTime,
                logEvent.Timestamp.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.fff ", CultureInfo.InvariantCulture)));
        }

        var durations = logEvent.Properties.Where(p => p.Value is ScalarValue { Value: TimeSpan }).ToList();
        foreach (var (name, value) in durations)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name,
                new ScalarValue(Durations.Readable((TimeSpan)((ScalarValue)value).Value!))));
        }
    }

    private static string? Text(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: { } scalar }
            ? scalar.ToString()
            : null;

    // sd-daemon(3) priorities: 3 err, 4 warning, 6 info, 7 debug.
    private static string Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => "<2>",
        LogEventLevel.Error => "<3>",
        LogEventLevel.Warning => "<4>",
        LogEventLevel.Information => "<6>",
        _ => "<7>",
    };
}
