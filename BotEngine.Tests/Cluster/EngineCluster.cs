using BotEngine.Tests.Support;

namespace BotEngine.Tests.Cluster;

/// <summary>N engine processes in cluster mode on loopback, sharing one PostgreSQL database and one fake LINE API.</summary>
internal sealed class EngineCluster : IAsyncDisposable
{
    private readonly string _database;
    private readonly FakeLineApi _line;
    private readonly int[] _akkaPorts;
    private readonly TempDirectory[] _folders;

    public EngineCluster(string database, FakeLineApi line, int size)
    {
        _database = database;
        _line = line;
        _akkaPorts = Enumerable.Range(0, size).Select(_ => EngineProcess.FreeLoopbackPort()).ToArray();
        _folders = Enumerable.Range(0, size).Select(_ => new TempDirectory()).ToArray();
        Nodes = new EngineProcess?[size];
    }

    public EngineProcess?[] Nodes { get; }

    public IEnumerable<EngineProcess> Live => Nodes.Where(n => n is { HasExited: false }).Select(n => n!);

    public async Task StartAsync(int index)
    {
        var settings = new List<string>
        {
            "--BotEngine:Storage=Postgres", $"--ConnectionStrings:Postgres={_database}",
            "--BotEngine:Cluster:Enabled=true", $"--BotEngine:Cluster:Port={_akkaPorts[index]}",
            $"--BotEngine:Cluster:NodeName=n{index}",
            // Test timings: a dead node is downed ~3 s after its last heartbeat, its queue claims freed after 3 s.
            "--BotEngine:Cluster:StableAfter=00:00:01.5", "--BotEngine:Cluster:HeartbeatPause=00:00:01.5",
            "--BotEngine:NodeTimeout=00:00:03", "--BotEngine:ConversationTimeout=00:00:03",
            // Every Ask that times out while a dead node's shards move counts as an attempt.
            "--BotEngine:MaxAttempts=100",
        };
        settings.AddRange(_akkaPorts.Select((port, i) => $"--BotEngine:Cluster:SeedNodes:{i}=127.0.0.1:{port}"));
        Nodes[index] = await EngineProcess.StartAsync(_folders[index].Path, _line, [.. settings]);
    }

    /// <summary>Waits until every live node's /healthz reports <paramref name="up"/> members up and none unreachable.</summary>
    public async Task WaitUpAsync(int up, TimeSpan timeout)
    {
        foreach (var node in Live)
        {
            await Eventually.ValueAsync(() => Health(node), h => h.Contains($"cluster: {up} up", StringComparison.Ordinal)
                && !h.Contains("unreachable", StringComparison.Ordinal), timeout, $"{up} nodes up");
        }
    }

    public static string Health(EngineProcess node)
    {
        try
        {
            return node.Client.GetStringAsync("/healthz").GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            if (node is not null) await node.DisposeAsync();
        }

        foreach (var folder in _folders) folder.Dispose();
    }
}
