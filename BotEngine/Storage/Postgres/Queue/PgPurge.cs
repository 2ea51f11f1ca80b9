using BotEngine.Queue;
using Dapper;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// The purge on PostgreSQL (<see cref="PurgeWorker"/> runs it on every node): the SQLite purge's deletes in chunks
/// with SKIP LOCKED, so nodes purging at once share the work instead of waiting for each other, plus the PostgreSQL
/// mode's own rows: idle lanes and nodes gone for a day.
/// </summary>
internal sealed class PgPurge(PgQueueDatabase database) : IQueuePurge
{
    private const string DoneSql = """
        DELETE FROM events WHERE id IN (
            SELECT id FROM events WHERE state = 2 AND done_at < @Retained LIMIT 1000 FOR UPDATE SKIP LOCKED)
        """;

    // A dead event's age counts from its last scheduling (an admin retry sets due_at), not only from its receipt.
    private const string DeadSql = """
        DELETE FROM events WHERE id IN (
            SELECT id FROM events WHERE state = 3 AND GREATEST(received_at, due_at) < @DeadRetained
            LIMIT 1000 FOR UPDATE SKIP LOCKED)
        """;

    // Fewer per chunk: a body can be 70 KB.
    private const string BodiesSql = """
        DELETE FROM bodies WHERE id IN (
            SELECT b.id FROM bodies b WHERE b.received_at < @Retained AND b.split
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.body_id = b.id AND e.state <> 2)
            LIMIT 100 FOR UPDATE SKIP LOCKED)
        """;

    // After the events: a batch goes once no event points at it any more.
    private const string BatchesSql = """
        DELETE FROM batches WHERE id IN (
            SELECT b.id FROM batches b WHERE b.created_at < @Retained
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.batch_id = b.id)
            LIMIT 1000 FOR UPDATE SKIP LOCKED)
        """;

    // A lane with nothing open, no claim and no timer, untouched for the retention, is made again by its next event.
    private const string LanesSql = """
        DELETE FROM lanes WHERE lane IN (
            SELECT lane FROM lanes l WHERE head_id IS NULL AND claim_token IS NULL AND touched_at < @Retained
              AND NOT EXISTS (SELECT 1 FROM timers t WHERE t.lane = l.lane)
            LIMIT 1000 FOR UPDATE SKIP LOCKED)
        """;

    // A node silent for a day is gone (its lanes were reaped long ago).
    private const string NodesSql = "DELETE FROM nodes WHERE heartbeat_at < @GoneNodes";

    public async Task<PurgeResult> PurgeAsync(PurgeCutoffs cutoffs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var parameters = new
        {
            cutoffs.Retained, cutoffs.DeadRetained, GoneNodes = cutoffs.Now - (long)TimeSpan.FromDays(1).TotalMilliseconds,
        };

        // Until a chunk deletes nothing: a short chunk does not mean the end when another node holds some rows.
        async Task<long> DeleteAsync(string sql)
        {
            long total = 0;
            int deleted;
            while ((deleted = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct))) > 0)
            {
                total += deleted;
            }

            return total;
        }

        var done = await DeleteAsync(DoneSql);
        var dead = await DeleteAsync(DeadSql);
        var bodies = await DeleteAsync(BodiesSql);
        await DeleteAsync(BatchesSql);
        await DeleteAsync(LanesSql);
        await DeleteAsync(NodesSql);
        return new PurgeResult(done, dead, bodies, WalTruncated: null); // PostgreSQL's checkpointer recycles its WAL
    }
}
