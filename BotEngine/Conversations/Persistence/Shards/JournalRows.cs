using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;
using Akka.Util;
using BotEngine.Storage;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// Journal rows exactly as Akka.Persistence.Sql 1.5 writes them on SQLite with its default table mapping and
/// <c>tag-write-mode = TagTable</c> (its <c>ByteArrayJournalSerializer</c>), so its replay, delete and query paths
/// read them unchanged: <c>created</c> in .NET ticks (UTC), <c>deleted</c> 0, the payload's serializer id and string
/// manifest, and one writer id per journal instance (its <c>use-writer-uuid-column = true</c>). Tagged payloads
/// are left to the plugin (they also need the tag table). <c>JournalRowsTests</c> replays rows written here.
/// </summary>
internal sealed class JournalRows(Serialization serialization)
{
    private const string InsertSql = """
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
        VALUES ($created, 0, $id, $seq, $message, $manifest, $identifier, $writer)
        """;

    private readonly string _writerUuid = Guid.NewGuid().ToString("N");

    public static bool HasTags(AtomicWrite write) =>
        ((IImmutableList<IPersistentRepresentation>)write.Payload).Any(p => p.Payload is Tagged);

    /// <summary>The rows of one atomic write, or null with the serializer's error.</summary>
    public Rows? TrySerialize(AtomicWrite write, out Exception? error)
    {
        error = null;
        try
        {
            var now = TimeProvider.System.GetUtcNow().UtcTicks;
            var list = new List<Row>();
            long bytes = 0;
            foreach (var representation in (IImmutableList<IPersistentRepresentation>)write.Payload)
            {
                var payload = representation.Payload;
                var serializer = serialization.FindSerializerFor(payload);
                var manifest = serializer switch
                {
                    SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
                    { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
                    _ => string.Empty,
                };
                // As the plugin does: a payload holding actor references serializes them with this system's address.
                var message = Serialization.WithTransport(serialization.System, (serializer, payload),
                    static state => state.serializer.ToBinary(state.payload));
                list.Add(new Row(representation.Timestamp == 0 ? now : representation.Timestamp, representation.PersistenceId,
                    representation.SequenceNr, message, manifest, serializer.Identifier));
                bytes += message.Length;
            }

            return new Rows(list, _writerUuid, bytes);
        }
#pragma warning disable CA1031 // a payload that cannot be serialized rejects its own write, as Akka's journal contract asks
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
            return null;
        }
    }

    /// <summary>Inserts the rows inside the writer's group transaction (one prepared statement for all).</summary>
    public static int Insert(IWriteContext context, Rows rows)
    {
        var command = context.Command(InsertSql);
        var created = command.Parameters.Add("$created", Microsoft.Data.Sqlite.SqliteType.Integer);
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        var seq = command.Parameters.Add("$seq", Microsoft.Data.Sqlite.SqliteType.Integer);
        var message = command.Parameters.Add("$message", Microsoft.Data.Sqlite.SqliteType.Blob);
        var manifest = command.Parameters.Add("$manifest", Microsoft.Data.Sqlite.SqliteType.Text);
        var identifier = command.Parameters.Add("$identifier", Microsoft.Data.Sqlite.SqliteType.Integer);
        command.Parameters.AddWithValue("$writer", rows.WriterUuid);
        foreach (var row in rows.List)
        {
            created.Value = row.Created;
            id.Value = row.PersistenceId;
            seq.Value = row.SequenceNr;
            message.Value = row.Message;
            manifest.Value = row.Manifest;
            identifier.Value = row.Identifier;
            command.ExecuteNonQuery();
        }

        return rows.List.Count;
    }

    internal sealed record Row(long Created, string PersistenceId, long SequenceNr, byte[] Message, string Manifest, int Identifier);

    internal sealed record Rows(IReadOnlyList<Row> List, string WriterUuid, long Bytes);
}
