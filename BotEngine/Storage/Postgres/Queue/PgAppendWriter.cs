using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// Webhook bodies into <c>bodies</c> with group commit: each loop takes whatever is queued (up to 512 bodies or 2 MB)
/// and stores it with one statement in its own transaction, then completes every caller with its id. A caller's task
/// completes only after COMMIT returned (with <c>synchronous_commit = on</c>: after the WAL flush), so "200 only
/// after commit" holds; a failed batch fails all its callers (503, the platform redelivers). Several loops, because one
/// backend compresses and writes big bodies serially (measured 1 vs 4 loops: 2-6k vs 8.7-12k 1 KB rows/s).
/// </summary>
internal sealed class PgAppendWriter : IAsyncDisposable
{
    private const int Loops = 2;
    private const int MaxItems = WriteBatches.MaxBatchItems; // the SQLite writer's batch limits, for the same reasons
    private const long MaxBytes = WriteBatches.MaxBatchBytes;

    // nextval once per row in a materialized CTE: each item gets its id through its ordinal, since RETURNING's order
    // is not promised.
    private const string InsertSql = """
        WITH v AS (SELECT * FROM unnest(@channels, @received, @bodies) WITH ORDINALITY AS v(channel, received_at, body, n)),
             ids AS MATERIALIZED (SELECT n, nextval(pg_get_serial_sequence('bodies', 'id')) AS id FROM v ORDER BY n),
             ins AS (INSERT INTO bodies (id, channel, received_at, body)
                     SELECT ids.id, v.channel, v.received_at, v.body FROM v JOIN ids USING (n))
        SELECT n, id FROM ids;
        """;

    private readonly PgQueueDatabase _database;
    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _loops;

    private readonly PgHealth _health;

    public PgAppendWriter(PgQueueDatabase database, PgHealth health)
    {
        _database = database;
        _health = health;
        _loops = Enumerable.Range(0, Loops).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    public Task<long> AppendAsync(string channel, long receivedAt, byte[] body, CancellationToken ct)
    {
        var item = new Item(channel, receivedAt, body, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_items.Writer.TryWrite(item)) throw new InvalidOperationException("the queue is stopping");
        return item.Done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var batch = new List<Item>(MaxItems);
        while (await _items.Reader.WaitToReadAsync())
        {
            batch.Clear();
            long bytes = 0;
            while (batch.Count < MaxItems && bytes < MaxBytes && _items.Reader.TryRead(out var item))
            {
                batch.Add(item);
                bytes += item.Body.Length;
            }

            if (batch.Count == 0) continue;
            try
            {
                var ids = await InsertAsync(batch);
                _health.Succeeded(PgHealth.Appends);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(ids[i]);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                _health.Failed(PgHealth.Appends, e);
                foreach (var item in batch) item.Done.TrySetException(e);
            }
        }
    }

    private async Task<long[]> InsertAsync(List<Item> batch)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(InsertSql, connection);
        command.Parameters.Add(new NpgsqlParameter("channels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(b => b.Channel).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = batch.Select(b => b.ReceivedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(b => b.Body).ToArray() });
        var ids = new long[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids[reader.GetInt64(0) - 1] = reader.GetInt64(1);
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private sealed record Item(string Channel, long ReceivedAt, byte[] Body, TaskCompletionSource<long> Done);
}
