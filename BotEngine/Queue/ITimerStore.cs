namespace BotEngine.Queue;

/// <summary>Durable timers (SQLite <see cref="TimerStore"/> or PostgreSQL); they are set inside an event's completion.</summary>
internal interface ITimerStore
{
    Task<int> MoveDueAsync(int limit, CancellationToken ct);

    long? NextDueAt();

    IReadOnlyList<PendingTimer> List(string lane);
}
