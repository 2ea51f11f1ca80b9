using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Queue;

// The queue's seam: the same callers run on SQLite (EventStore, InboxStore, BatchStore, TimerStore, DeadLetterStore)
// or on PostgreSQL (Storage/Postgres/Queue), chosen by BotEngine:Storage in QueueRegistration.

/// <summary>The event lanes: claims with at most one event in flight per conversation, and every change of a claimed event.</summary>
internal interface IEventStore
{
    Task<IReadOnlyList<QueuedEvent>> ClaimAsync(
        int limit, TimeSpan lease, CancellationToken ct, IReadOnlyCollection<string>? paused = null, string? only = null);

    /// <summary>At start: claims of this node's previous run become pending again.</summary>
    Task<int> ReleaseAllAsync(CancellationToken ct);

    Task<int> ReleaseAsync(long id, CancellationToken ct);

    Task<int> SetReplyStateAsync(long id, LedgerState state, CancellationToken ct);

    Task<int> SetPushStateAsync(long id, LedgerState state, CancellationToken ct);

    Task<int> SetPartsSentAsync(long id, int partsSent, CancellationToken ct, bool replied = false);

    Task<int> PauseAsync(long id, DateTimeOffset dueAt, string error, CancellationToken ct);

    Task<long> CountUncertainAsync(CancellationToken ct);

    Task<bool> CompleteAsync(QueuedEvent queued, string outcome, int partsSent,
        IReadOnlyList<TimerCommand> timers, CancellationToken ct, bool uncertain = false);

    Task<int> RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken ct);

    Task<int> DeadLetterAsync(long id, string error, CancellationToken ct);

    Task<IReadOnlyDictionary<EventState, long>> CountByStateAsync(CancellationToken ct);
}

/// <summary>Raw webhook bodies in (durable before the 200), events out.</summary>
internal interface IInboxStore
{
    Task<long> AppendAsync(Channel channel, byte[] body, CancellationToken ct);

    Task<IReadOnlyList<StoredBody>> ReadUnsplitAsync(long after, int limit, CancellationToken ct);

    Task<IReadOnlyList<SplitCounts>> StoreSplitAsync(IReadOnlyList<(StoredBody Body, ParsedBody Parsed)> split, CancellationToken ct);
}

/// <summary>Stored LINE multicasts (one request for many events) and their retry keys.</summary>
internal interface IBatchStore
{
    Task<StoredBatch> CreateAsync(
        string channel, string messages, IReadOnlyList<(long EventId, string Recipient)> members, CancellationToken ct);

    Task<IReadOnlyList<StoredBatch>> SplitAsync(
        StoredBatch parent, IReadOnlyList<IReadOnlyList<string>> parts, string error, CancellationToken ct);

    Task<int> SetStateAsync(long id, LedgerState state, string? error, CancellationToken ct);

    Task<StoredBatch?> GetAsync(long id, CancellationToken ct);

    Task<long?> BatchOfAsync(long eventId, CancellationToken ct);
}
