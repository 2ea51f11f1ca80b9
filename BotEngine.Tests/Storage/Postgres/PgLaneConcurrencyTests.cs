using BotEngine.Channels.Line;
using System.Collections.Concurrent;
using BotEngine.Queue;
using BotEngine.Tests.Support;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>
/// Three nodes claim from one database at once, with retries and one node dying mid-way (it stops heart-beating and
/// forgets its claims): never two events of a lane in flight, every lane done in order, nothing left behind.
/// </summary>
public sealed class PgLaneConcurrencyTests(ITestOutputHelper output)
{
    private const int Lanes = 50;
    private const int PerLane = 20;

    private static int Completed(ConcurrentDictionary<string, List<int>> done) =>
        done.Values.Sum(list =>
        {
            lock (list) return list.Count;
        });

    [PostgresFact]
    public async Task Three_claimers_and_a_dead_node_keep_one_in_flight_per_lane_and_lane_order()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var timeout = TimeSpan.FromSeconds(1);
        var nodes = new List<PgQueueRig>();
        for (var i = 0; i < 3; i++) nodes.Add(await PgQueueRig.StartAsync(database, $"n{i}", nodeTimeout: timeout));
        var users = Enumerable.Range(0, Lanes).Select(_ => LineFixtures.NewUserId()).ToList();
        // Bodies in rounds: round r holds message r of every user, posted through the nodes in turn.
        for (var r = 0; r < PerLane; r++)
        {
            await nodes[r % 3].Inbox.AppendAsync(LineChannel.Id,
                LineFixtures.Body(users.Select(u => LineFixtures.TextEvent(u, $"{r}")).ToArray()), CancellationToken.None);
        }

        var inFlight = new ConcurrentDictionary<string, long>();
        // Appended before the completion commits: the next event of a lane can only be claimed after that commit, so
        // the lists are in claim-and-commit order (appending after the commit raced with the next node's append).
        var done = new ConcurrentDictionary<string, List<int>>();
        var violations = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var dead = new CancellationTokenSource();
        var random = new Random(11);

        async Task SplitLoop(PgQueueRig node, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested && (await node.SplitAllAsync()).Count > 0) { }
        }

        async Task ClaimLoop(PgQueueRig node, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested && Completed(done) < Lanes * PerLane)
            {
                await node.Lease.HeartbeatAsync(CancellationToken.None);
                await node.Lease.ReapAsync(CancellationToken.None);
                var claimed = await node.ClaimAsync(16);
                await Task.WhenAll(claimed.Select(e => HandleAsync(node, e, ct)));
                if (claimed.Count == 0) await Task.Delay(5, CancellationToken.None);
            }
        }

        async Task HandleAsync(PgQueueRig node, QueuedEvent e, CancellationToken ct)
        {
            if (!inFlight.TryAdd(e.Lane, e.Id)) violations.Enqueue($"{e.Lane}: {e.Id} claimed while {inFlight[e.Lane]} in flight");
            await Task.Delay(random.Next(0, 3), CancellationToken.None);
            if (ct.IsCancellationRequested)
            {
                // Killed mid-attempt: the claim stays behind in the database until a reaper frees it.
                inFlight.TryRemove(e.Lane, out _);
                return;
            }

            inFlight.TryRemove(e.Lane, out _);
            if (e.Attempts == 1 && e.Id % 10 == 0)
            {
                await node.Events.RetryAsync(e.Id, DateTimeOffset.UtcNow.AddMilliseconds(10), "simulated 429", CancellationToken.None);
                return;
            }

            var seen = done.GetOrAdd(e.Lane, _ => []);
            var text = int.Parse(e.Text!, System.Globalization.CultureInfo.InvariantCulture);
            lock (seen) seen.Add(text);
            if (!await node.Events.CompleteAsync(e, "sent", 1, [], CancellationToken.None))
            {
                lock (seen) seen.Remove(text); // fenced out: another node took the lane over and handles it again
            }
        }

        using var killed = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, dead.Token);
        var loops = new List<Task>
        {
            SplitLoop(nodes[0], stop.Token), SplitLoop(nodes[1], stop.Token),
            ClaimLoop(nodes[0], stop.Token), ClaimLoop(nodes[1], stop.Token), ClaimLoop(nodes[2], killed.Token),
        };
        await Eventually.TrueAsync(() => Completed(done) >= Lanes * PerLane / 4, TimeSpan.FromSeconds(30), "a quarter done");
        await dead.CancelAsync();
        await Task.WhenAll(loops);
        await SplitLoop(nodes[0], stop.Token);

        output.WriteLine($"done {Completed(done)}, violations {violations.Count}");
        Assert.Empty(violations);
        Assert.Equal(Lanes, done.Count);
        Assert.All(done, lane => Assert.Equal(Enumerable.Range(0, PerLane), lane.Value));
        Assert.Equal(Lanes * PerLane, Completed(done));
        await using var connection = new NpgsqlConnection(database);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events WHERE state <> 2"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM lanes WHERE head_id IS NOT NULL OR claim_token IS NOT NULL"));
        foreach (var node in nodes) await node.DisposeAsync();
    }
}
