using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

// The best plain loop at the engine's durability: one connection, WAL, synchronous=FULL, the engine's bodies table
// (same columns and indexes), BEGIN IMMEDIATE, --batch prepared inserts of --body-bytes random bytes, COMMIT; for
// --seconds. Prints one line: RESULT rows_per_s=… rows=… batches=… seconds=…
var options = Options.Parse(args);
Directory.CreateDirectory(options.Directory);
var path = Path.Combine(options.Directory, "raw.db");
using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
connection.Open();
Execute(connection, """
    PRAGMA journal_mode=WAL;
    PRAGMA synchronous=FULL;
    CREATE TABLE IF NOT EXISTS bodies (
        id          INTEGER PRIMARY KEY,
        channel     TEXT    NOT NULL,
        received_at INTEGER NOT NULL,
        body        BLOB    NOT NULL,
        split       INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS ix_bodies_unsplit ON bodies (id) WHERE split = 0;
    CREATE INDEX IF NOT EXISTS ix_bodies_received ON bodies (received_at);
    """);

var bodies = new byte[64][];
for (var i = 0; i < bodies.Length; i++)
{
    bodies[i] = new byte[options.BodyBytes];
    Random.Shared.NextBytes(bodies[i]);
}

using var insert = connection.CreateCommand();
insert.CommandText = "INSERT INTO bodies (channel, received_at, body) VALUES ($channel, $received_at, $body);";
var channel = insert.Parameters.Add("$channel", SqliteType.Text);
var receivedAt = insert.Parameters.Add("$received_at", SqliteType.Integer);
var body = insert.Parameters.Add("$body", SqliteType.Blob);
channel.Value = "line";

long rows = 0, batches = 0;
var clock = Stopwatch.StartNew();
var end = TimeSpan.FromSeconds(options.Seconds);
while (clock.Elapsed < end)
{
    using var transaction = connection.BeginTransaction();
    insert.Transaction = transaction;
    for (var i = 0; i < options.Batch; i++)
    {
        receivedAt.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        body.Value = bodies[(rows + i) % bodies.Length];
        insert.ExecuteNonQuery();
    }

    transaction.Commit();
    rows += options.Batch;
    batches++;
}

var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT rows_per_s={rows / seconds:F0} rows={rows} batches={batches} seconds={seconds:F2}"));

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

internal sealed record Options(string Directory, int BodyBytes, int Batch, double Seconds)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        return new Options(
            Get("--dir", Path.Combine(Path.GetTempPath(), "rawsqlite")),
            int.Parse(Get("--body-bytes", "1024"), CultureInfo.InvariantCulture),
            int.Parse(Get("--batch", "64"), CultureInfo.InvariantCulture),
            double.Parse(Get("--seconds", "10"), CultureInfo.InvariantCulture));
    }
}
