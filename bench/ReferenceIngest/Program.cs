using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

// The reference webhook endpoint bench/run.sh compares the engine's ingest with: the same Kestrel host builder and
// route, checks X-Line-Signature (HMAC-SHA256 of the body, constant-time compare), appends the raw body to a bodies
// table like the engine's (same columns and indexes, WAL, synchronous=FULL) through one writer thread that commits
// whatever requests are waiting in one transaction (at most 512 bodies or 2 MB, as the engine's writer), and answers
// 200 after that commit. No parsing, no splitting, nothing behind it.
//   --Urls=http://127.0.0.1:PORT --Secret=S --Dir=FOLDER
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var key = Encoding.UTF8.GetBytes(builder.Configuration["Secret"] ?? throw new ArgumentException("--Secret is required"));
using var writer = new GroupCommitWriter(Path.Combine(builder.Configuration["Dir"] ?? ".", "reference.db"));
var app = builder.Build();
app.MapGet("/healthz", () => "Healthy");
app.MapPost("/webhooks/line", async (HttpRequest request, CancellationToken ct) =>
{
    var body = new byte[request.ContentLength ?? 0];
    await request.Body.ReadExactlyAsync(body, ct);
    if (!IsSigned(request.Headers["x-line-signature"], body, key)) return Results.Unauthorized();
    await writer.AppendAsync(body);
    return Results.Ok();
});
app.Run();

static bool IsSigned(string? header, ReadOnlySpan<byte> body, byte[] key)
{
    Span<byte> given = stackalloc byte[32];
    if (string.IsNullOrEmpty(header) || !Convert.TryFromBase64String(header, given, out var n) || n != 32) return false;
    Span<byte> expected = stackalloc byte[32];
    HMACSHA256.HashData(key, body, expected);
    return CryptographicOperations.FixedTimeEquals(given, expected);
}

internal sealed class GroupCommitWriter : IDisposable
{
    private const int MaxBatch = 512;
    private const long MaxBatchBytes = 2 * 1024 * 1024;

    private readonly Channel<(byte[] Body, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(byte[], TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Thread _thread;

    public GroupCommitWriter(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        using var schema = _connection.CreateCommand();
        schema.CommandText = """
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
            """;
        schema.ExecuteNonQuery();
        _thread = new Thread(Run) { IsBackground = true, Name = "reference-writer" };
        _thread.Start();
    }

    public Task AppendAsync(byte[] body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((body, done));
        return done.Task;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(10));
        _connection.Dispose();
    }

    private void Run()
    {
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO bodies (channel, received_at, body) VALUES ('line', $received_at, $body);";
        var receivedAt = insert.Parameters.Add("$received_at", SqliteType.Integer);
        var blob = insert.Parameters.Add("$body", SqliteType.Blob);
        var batch = new List<TaskCompletionSource>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            long bytes = 0;
            using (var transaction = _connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                while (batch.Count < MaxBatch && bytes < MaxBatchBytes && reader.TryRead(out var item))
                {
                    receivedAt.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    blob.Value = item.Body;
                    insert.ExecuteNonQuery();
                    bytes += item.Body.Length;
                    batch.Add(item.Done);
                }

                transaction.Commit();
            }

            foreach (var done in batch) done.SetResult();
            batch.Clear();
        }
    }
}
