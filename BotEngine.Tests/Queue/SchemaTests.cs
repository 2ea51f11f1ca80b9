using BotEngine.Queue;
using BotEngine.Storage;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Queue;

public sealed class SchemaTests : IDisposable
{
    private readonly TempQueue _q = new();

    public void Dispose() => _q.Dispose();

    [Fact]
    public async Task Version_2_file_gains_the_ledger_columns_and_batches_and_reads_an_answered_error_as_maybe_delivered()
    {
        await _q.SplitAsync(("U1", "e1"), ("U2", "e2"));
        using (var connection = new SqliteConnection($"Data Source={_q.Data.File("queue.db")};Pooling=False"))
        {
            connection.Open();
            // What version 2 left: no ledger columns, no batches, reply_state 2 after a reply answered 429.
            SqliteDatabase.Execute(connection, """
                DROP INDEX ix_events_batch; DROP INDEX ix_events_uncertain; DROP TABLE batches;
                ALTER TABLE events DROP COLUMN push_state; ALTER TABLE events DROP COLUMN push_first_at;
                ALTER TABLE events DROP COLUMN batch_id; ALTER TABLE events DROP COLUMN uncertain;
                UPDATE events SET reply_state = 2 WHERE event_id = 'e1'; PRAGMA user_version = 2;
                """);
            Schema.Apply(connection);
            Schema.Apply(connection); // applying it again changes nothing
        }

        var claimed = await _q.Events.ClaimAsync(10, TempQueue.Lease, default);

        Assert.Equal([(LedgerState.MaybeDelivered, LedgerState.NotSent, (long?)null),
            (LedgerState.NotSent, LedgerState.NotSent, null)], claimed.Select(e => (e.Reply, e.Push, e.BatchId)));
        Assert.Equal(Schema.Version, _q.File.Scalar("PRAGMA user_version"));
        Assert.Equal(0, _q.File.Scalar("SELECT COUNT(*) FROM batches"));
    }
}
