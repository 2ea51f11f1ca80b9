using BotEngine.Channels.Line;
using BotEngine.Channels;
using BotEngine.Queue;
using BotEngine.Storage.Postgres;
using BotEngine.Storage.Postgres.Queue;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>One engine node's queue objects on a shared test database (several rigs = several nodes).</summary>
internal sealed class PgQueueRig : IAsyncDisposable
{
    private PgQueueRig(string connectionString, string node, TimeProvider clock, TimeSpan nodeTimeout)
    {
        Database = new PgQueueDatabase(connectionString, node);
        Appends = new PgAppendWriter(Database, new PgHealth());
        Inbox = new PgInbox(Database, Appends, clock);
        Events = new PgEventStore(Database, clock);
        Timers = new PgTimers(Database, clock);
        Lease = new PgNodeLease(Database, clock, nodeTimeout);
    }

    public PgQueueDatabase Database { get; }
    public PgAppendWriter Appends { get; }
    public PgInbox Inbox { get; }
    public PgEventStore Events { get; }
    public PgTimers Timers { get; }
    public PgNodeLease Lease { get; }

    public static async Task<PgQueueRig> StartAsync(string connectionString, string node = "n1", TimeProvider? clock = null,
        TimeSpan? nodeTimeout = null)
    {
        var rig = new PgQueueRig(connectionString, node, clock ?? TimeProvider.System, nodeTimeout ?? TimeSpan.FromSeconds(10));
        await PostgresSchema.ApplyAsync(rig.Database.Source, CancellationToken.None);
        await rig.Lease.RegisterAsync(CancellationToken.None);
        await rig.Events.ReleaseAllAsync(CancellationToken.None);
        return rig;
    }

    /// <summary>Stores the body (200 would follow) and splits everything unsplit, as the splitter does.</summary>
    public async Task<IReadOnlyList<SplitCounts>> PostAndSplitAsync(byte[] body)
    {
        await Inbox.AppendAsync(LineChannel.Id, body, CancellationToken.None);
        return await SplitAllAsync();
    }

    private static readonly ChannelSet Parsers = new([new LineChannel()]);

    public async Task<IReadOnlyList<SplitCounts>> SplitAllAsync()
    {
        var bodies = await Inbox.ReadUnsplitAsync(0, 64, CancellationToken.None);
        if (bodies.Count == 0) return [];
        var split = bodies.Select(b => (b, Parsers.Parse(b.Channel, b.Body))).ToList();
        return await Inbox.StoreSplitAsync(split, CancellationToken.None);
    }

    public Task<IReadOnlyList<QueuedEvent>> ClaimAsync(int limit = 100) =>
        Events.ClaimAsync(limit, TimeSpan.FromMinutes(5), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Appends.DisposeAsync();
        await Database.DisposeAsync();
    }
}
