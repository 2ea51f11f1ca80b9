using BotEngine.Storage;

namespace BotEngine.Queue;

/// <summary>
/// The purge on <c>queue.db</c>: deletes go through the writer in small items, then a WAL checkpoint gives back the
/// log's space.
/// </summary>
internal sealed class SqlitePurge(SqliteDatabase database, SqliteWriter writer) : IQueuePurge
{
    // About 5-20 ms of writer time per item on this box, so a group commit beside it stays short.
    private const int EventRows = 1000;

    // A body can be 70 KB and freeing its overflow pages reads them all: fewer per item.
    private const int BodyRows = 100;

    private const string DoneSql = """
        DELETE FROM events WHERE id IN (
            SELECT id FROM events INDEXED BY ix_events_done WHERE state = 2 AND done_at < $cutoff LIMIT $limit);
        """;

    // A dead event's age counts from its last scheduling (an admin retry sets due_at), not only from its receipt.
    private const string DeadSql = """
        DELETE FROM events WHERE id IN (
            SELECT id FROM events INDEXED BY ix_events_dead
            WHERE state = 3 AND MAX(received_at, due_at) < $cutoff LIMIT $limit);
        """;

    private const string BodiesSql = """
        DELETE FROM bodies WHERE id IN (
            SELECT b.id FROM bodies b INDEXED BY ix_bodies_received
            WHERE b.received_at < $cutoff AND b.split = 1
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.body_id = b.id AND e.state <> 2)
            LIMIT $limit);
        """;

    // A batch goes once no event points at it any more (done and dead events are purged first), after the retention.
    private const string BatchesSql = """
        DELETE FROM batches WHERE id IN (
            SELECT b.id FROM batches b INDEXED BY ix_batches_created
            WHERE b.created_at < $cutoff AND NOT EXISTS (SELECT 1 FROM events e WHERE e.batch_id = b.id)
            LIMIT $limit);
        """;

    public async Task<PurgeResult> PurgeAsync(PurgeCutoffs cutoffs, CancellationToken ct)
    {
        var done = await DeleteAsync(DoneSql, cutoffs.Retained, EventRows, ct);
        var dead = await DeleteAsync(DeadSql, cutoffs.DeadRetained, EventRows, ct);
        var bodies = await DeleteAsync(BodiesSql, cutoffs.Retained, BodyRows, ct);
        await DeleteAsync(BatchesSql, cutoffs.Retained, EventRows, ct);
        return new PurgeResult(done, dead, bodies, TruncateWal());
    }

    private async Task<long> DeleteAsync(string sql, long cutoff, int limit, CancellationToken ct)
    {
        long total = 0;
        int deleted;
        do
        {
            ct.ThrowIfCancellationRequested();
            deleted = await writer.ExecuteAsync(context =>
            {
                var command = context.Command(sql);
                command.Parameters.AddWithValue("$cutoff", cutoff);
                command.Parameters.AddWithValue("$limit", limit);
                return command.ExecuteNonQuery();
            }, 0, ct);
            total += deleted;
        }
        while (deleted == limit);

        return total;
    }

    // Outside the writer: a checkpoint cannot run inside its group transaction. With busy_timeout 0 it never waits:
    // when the writer or a reader is busy, SQLite checkpoints what it can (as PASSIVE) and reports busy, and the
    // next pass tries again. wal_autocheckpoint stays at its default (large values raised p99 to 150-460 ms when measured); this only shrinks the file
    // after a burst or a reader held an old snapshot.
    private bool TruncateWal()
    {
        using var connection = database.OpenReader();
        SqliteDatabase.Execute(connection, "PRAGMA busy_timeout = 0;");
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        using var reader = command.ExecuteReader();
        return reader.Read() && reader.GetInt64(0) == 0;
    }
}
