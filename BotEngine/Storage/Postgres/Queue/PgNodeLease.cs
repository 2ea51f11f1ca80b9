using Dapper;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// This node's row in <c>nodes</c> and its heartbeat, and the reaper every node runs: a claim is valid only while its
/// lease lasts and its node heart-beats, so a killed node's lanes come back after <c>NodeTimeout</c> (10 s) instead of
/// the lease (5 min). The reaper uses SKIP LOCKED and is idempotent, so every node may run it at once.
/// </summary>
internal sealed class PgNodeLease(PgQueueDatabase database, TimeProvider clock, TimeSpan nodeTimeout)
{
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task RegisterAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO nodes (incarnation, name, started_at, heartbeat_at) VALUES (@Me, @Name, @Now, @Now)
            ON CONFLICT (incarnation) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """, new { Me = database.Incarnation, Name = database.NodeName, Now = Now }, cancellationToken: ct));
    }

    public async Task HeartbeatAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE nodes SET heartbeat_at = @Now WHERE incarnation = @Me", new { Me = database.Incarnation, Now = Now }, cancellationToken: ct));
        if (updated == 0) await RegisterAsync(ct); // deleted as stale after a long pause: come back
    }

    /// <summary>Frees the lanes of expired leases and of nodes without a heartbeat within NodeTimeout; the count.</summary>
    public async Task<int> ReapAsync(CancellationToken ct)
    {
        var now = Now;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(PgLaneSql.Reap,
            new { Now = now, Stale = now - (long)nodeTimeout.TotalMilliseconds }, cancellationToken: ct));
    }

    public async Task UnregisterAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM nodes WHERE incarnation = @Me", new { Me = database.Incarnation }, cancellationToken: ct));
    }
}
