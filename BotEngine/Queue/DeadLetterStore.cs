using BotEngine.Storage;
using Dapper;

namespace BotEngine.Queue;

/// <summary>One dead-lettered event as the admin API shows it.</summary>
public sealed record DeadLetter(
    long Id, string Channel, string EventId, string Conversation, string Kind, long Attempts, string? Error,
    DateTimeOffset ReceivedAt, string Payload);

internal sealed class DeadLetterStore(SqliteDatabase database, DeadLetterRetry retry) : IDeadLetterStore
{
    private const string ListSql = """
        SELECT id AS Id, channel AS Channel, event_id AS EventId, lane AS Conversation, kind AS Kind,
               attempts AS Attempts, last_error AS Error, received_at AS ReceivedAt, payload AS Payload
        FROM events INDEXED BY ix_events_dead WHERE state = 3 ORDER BY id DESC LIMIT @Limit;
        """;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct)
    {
        await Task.Yield();
        using var connection = database.OpenReader();
        var rows = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(ListSql, new { Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new DeadLetter(r.Id, r.Channel, r.EventId, r.Conversation, r.Kind, r.Attempts, r.Error,
            DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt), r.Payload)).ToList();
    }

    public Task<DeadLetterRetried> RetryAsync(long id, CancellationToken ct) => retry.RetryAsync(id, ct);

    private sealed record DeadLetterRow(
        long Id, string Channel, string EventId, string Conversation, string Kind, long Attempts, string? Error,
        long ReceivedAt, string Payload);
}
