namespace BotEngine.Queue;

/// <summary>Durable timers (SQLite <see cref="TimerStore"/> or PostgreSQL); they are set inside an event's completion.</summary>
internal interface ITimerStore
{
    Task<int> MoveDueAsync(int limit, CancellationToken ct);

    /// <summary>The earliest due time of any timer (Unix ms), or null when none is set.</summary>
    Task<long?> NextDueAtAsync(CancellationToken ct);

    /// <summary>The timers one conversation has set, earliest first.</summary>
    Task<IReadOnlyList<PendingTimer>> ListAsync(string lane, CancellationToken ct);
}
