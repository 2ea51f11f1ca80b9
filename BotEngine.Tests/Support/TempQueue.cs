using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Queue;
using BotEngine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Support;

/// <summary>The queue's stores on a real file in a temp folder, with a clock the test moves.</summary>
internal sealed class TempQueue : IDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public TempQueue()
    {
        Database = new SqliteDatabase(Data.File("queue.db"), Durability.Full);
        Writer = new SqliteWriter(Database, NullLogger<SqliteWriter>.Instance);
        Writer.Start(Schema.Apply);
        Inbox = new InboxStore(Database, Writer, Clock);
        Events = new EventStore(Database, Writer, Clock);
        File = new QueueFile(Data.Path);
    }

    public TempDirectory Data { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public SqliteDatabase Database { get; }

    public SqliteWriter Writer { get; }

    public InboxStore Inbox { get; }

    public EventStore Events { get; }

    public QueueFile File { get; }

    /// <summary>Stores one body holding these text events (lane = the conversation) and splits it; returns the body id.</summary>
    public async Task<long> SplitAsync(params (string Lane, string EventId)[] events)
    {
        var id = await Inbox.AppendAsync(LineChannel.Id, [0], default);
        var body = new StoredBody(id, "line", Clock.GetUtcNow().ToUnixTimeMilliseconds(), [0]);
        var parsed = new ParsedBody(events.Select(e => new InboundEvent(e.EventId, e.Lane, e.Lane,
            new ConversationInput(ConversationInput.TextKind, "hi"), null, false, Clock.GetUtcNow(), "{}")).ToList(), []);
        await Inbox.StoreSplitAsync([(body, parsed)], default);
        return id;
    }

    public void Dispose()
    {
        Writer.Dispose();
        SqliteConnection.ClearAllPools();
        Data.Dispose();
    }
}
