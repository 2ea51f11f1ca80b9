using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BotEngine.Storage;

/// <summary>
/// The one writer of the queue file. Work items queue up while a transaction commits; the next transaction runs
/// all of them (group commit), each in its own savepoint so one failing item fails alone. A caller's task completes
/// only after the commit that holds its work. The loop runs on its own thread because Microsoft.Data.Sqlite's async
/// methods are synchronous underneath: request threads never block on SQLite.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly Channel<WriteItem> _items = Channel.CreateBounded<WriteItem>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SqliteDatabase _database;
    private readonly ILogger<SqliteWriter> _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, SqliteCommand> _commands = [];
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;

    /// <param name="threadName">The loop thread's name (the queue's writer, or a conversation shard's journal writer).</param>
    public SqliteWriter(SqliteDatabase database, ILogger<SqliteWriter> logger, string threadName = "sqlite-writer")
    {
        _database = database;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
    }

    /// <summary>True while the loop runs and writes commit (see <see cref="LastError"/>).</summary>
    public bool Healthy { get; private set; }

    /// <summary>
    /// The last commit failure (disk full, I/O error). Cleared only by a commit that stored a change: a commit that
    /// changed nothing (an empty claim) writes no page, so it proves nothing about the disk.
    /// </summary>
    public string? LastError { get; private set; }

    /// <summary>What kind of storage failure is current (<see cref="StorageFailure"/>), null while writes commit.</summary>
    public string? FailureKind { get; private set; }

    /// <summary>Failed commits since start, by <see cref="StorageFailure"/> kind.</summary>
    public StorageFailureCounts Failures { get; } = new();

    public long Batches { get; private set; }

    public Task Stopped => _stopped.Task;

    /// <summary>Opens the file, applies the schema and starts the loop.</summary>
    public void Start(Action<SqliteConnection> migrate)
    {
        _connection = _database.OpenWriter();
        migrate(_connection);
        Healthy = true;
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> in the next group transaction; completes after its commit.</summary>
    public Task<T> ExecuteAsync<T>(Func<IWriteContext, T> work, long sizeHint = 0, CancellationToken ct = default) =>
        ExecuteAsync(WriteKind.Default, work, sizeHint, ct);

    /// <summary>As above, for work that is a single statement, or a single statement someone waits on (urgent).</summary>
    public Task<T> ExecuteAsync<T>(WriteKind kind, Func<IWriteContext, T> work, long sizeHint, CancellationToken ct)
    {
        var item = new WriteItem<T>(work, sizeHint, kind);
        // The usual case (the queue has room) hands out the item's own task: no async frame per webhook.
        return _items.Writer.TryWrite(item) ? item.Completion.Task : WhenQueuedAsync(item, ct);
    }

    private async Task<T> WhenQueuedAsync<T>(WriteItem<T> item, CancellationToken ct)
    {
        await _items.Writer.WriteAsync(item, ct);
        return await item.Completion.Task;
    }

    /// <summary>Stops taking work, commits what is queued, and waits for the loop to end.</summary>
    public async Task StopAsync()
    {
        _items.Writer.TryComplete();
        if (_thread.IsAlive)
        {
            await _stopped.Task;
        }
    }

    public void Dispose()
    {
        _items.Writer.TryComplete();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(30));
        }

        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _connection?.Dispose();
    }

    // Each turn: whatever arrived meanwhile is queued, the next batch is filled (WriteBatches: appends first) and
    // committed. Under a burst the splitter and the workers fall behind, never the 200s.
    private void Run()
    {
        var queued = new WriteBatches();
        var batch = new List<WriteItem>(WriteBatches.MaxBatchItems);
        try
        {
            var reader = _items.Reader;
            while (!queued.IsEmpty || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var item))
                {
                    queued.Add(item);
                }

                queued.Fill(batch);
                Commit(batch);
                batch.Clear();
            }
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "The SQLite writer stopped");
            foreach (var item in batch.Concat(queued.Drain()))
            {
                item.Fail(ex);
            }
        }
        finally
        {
            Healthy = false;
            _stopped.TrySetResult();
        }
    }

    private void Commit(List<WriteItem> batch)
    {
        var context = new WriteContext(this);
        var changesBefore = SQLitePCL.raw.sqlite3_total_changes(_connection!.Handle);
        try
        {
            _transaction = _connection!.BeginTransaction();
            foreach (var item in batch)
            {
                RunItem(item, context);
            }

            _transaction.Commit();
            Batches++;
            if (LastError is null || SQLitePCL.raw.sqlite3_total_changes(_connection.Handle) != changesBefore)
            {
                Healthy = true;
                LastError = null;
                FailureKind = null;
            }
        }
        catch (Exception ex)
        {
            // The commit itself failed (disk full, I/O error): nothing of this batch is stored.
            Healthy = false;
            LastError = ex.Message;
            FailureKind = StorageFailure.Kind(ex);
            Failures.Add(FailureKind);
            _logger.LogError(ex, "Group commit of {Count} writes failed", batch.Count);
            TryRollback();
            foreach (var item in batch)
            {
                item.Fail(ex);
            }

            return;
        }
        finally
        {
            _transaction?.Dispose();
            _transaction = null;
        }

        foreach (var item in batch)
        {
            item.Complete();
        }
    }

    private void RunItem(WriteItem item, WriteContext context)
    {
        if (item.Kind != WriteKind.Default)
        {
            // One statement: SQLite undoes a failed statement by itself, the rest of the transaction stands.
            try
            {
                item.Run(context);
            }
            catch (Exception ex) when (ex is not SqliteException sqlite || !IsFatal(sqlite))
            {
                item.Reject(ex);
            }

            return;
        }

        // Cached statements: at thousands of webhooks a second, preparing these two each time would show.
        Prepared("SAVEPOINT item;").ExecuteNonQuery();
        try
        {
            item.Run(context);
            Prepared("RELEASE item;").ExecuteNonQuery();
        }
        catch (SqliteException ex) when (IsFatal(ex))
        {
            throw;
        }
        catch (Exception ex)
        {
            SqliteDatabase.Execute(_connection!, "ROLLBACK TO item; RELEASE item;");
            item.Reject(ex);
        }
    }

    // Errors of the file rather than of one item's SQL fail the whole batch.
    private static bool IsFatal(SqliteException ex) => StorageFailure.IsFileError(ex);

    private void TryRollback()
    {
        try
        {
            _transaction?.Rollback();
        }
        catch (SqliteException ex)
        {
            _logger.LogWarning(ex, "Rollback after a failed commit failed");
        }
    }

    private SqliteCommand Prepared(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection!.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = _transaction;
        command.Parameters.Clear();
        return command;
    }

    private sealed class WriteContext(SqliteWriter writer) : IWriteContext
    {
        public SqliteConnection Connection => writer._connection!;

        public SqliteTransaction Transaction => writer._transaction!;

        public SqliteCommand Command(string sql) => writer.Prepared(sql);
    }
}

/// <summary>What a write item sees: the writer's connection inside the group transaction.</summary>
internal interface IWriteContext
{
    SqliteConnection Connection { get; }

    SqliteTransaction Transaction { get; }

    /// <summary>A cached, prepared command for <paramref name="sql"/> with its parameters cleared.</summary>
    SqliteCommand Command(string sql);
}
