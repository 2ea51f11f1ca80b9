using System.Globalization;
using BotEngine.Queue;
using BotEngine.Tests.Support;
using CsCheck;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>
/// The PostgreSQL lane protocol against a model of a few lines: random interleavings of claims, completions, retries,
/// heartbeats and clock jumps (leases and heartbeats running out, then a reap) across 2–3 nodes. Each claim takes
/// exactly the heads of the free, due lanes (never a lane already claimed), an outcome counts only under the claim
/// still valid (fenced), and in the end every lane's events are done once each, in order.
/// </summary>
public sealed class PgLaneModelTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(10);

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (4, Gen.Int[0, 2].Select(n => (Step)new Claim(n))),
        (4, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 9], (n, p) => (Step)new Complete(n, p))),
        (1, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 9], (n, p) => (Step)new Retry(n, p))),
        (2, Gen.Int[0, 2].Select(n => (Step)new Heartbeat(n))),
        (2, Gen.Select(Gen.OneOf(1, 11, 31), Gen.Int[0, 2], (s, n) => (Step)new Advance(s, n))));

    private static readonly Gen<Scenario> Scenarios = Gen.Select(Gen.Int[2, 3], Gen.Int[1, 3], Gen.Int[2, 4], Steps.Array[5, 30],
        (nodes, lanes, perLane, steps) => new Scenario(nodes, lanes, perLane, steps));

    [PostgresFact]
    public async Task Claims_outcomes_and_reaps_match_the_model()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("BOTENGINE_PROPERTY_ITERATIONS"),
            CultureInfo.InvariantCulture, out var n) ? n : 15;
        await Scenarios.SampleAsync(RunAsync, iter: iterations, threads: 1,
            seed: Environment.GetEnvironmentVariable("BOTENGINE_PROPERTY_SEED"));
    }

    private static async Task RunAsync(Scenario scenario)
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var nodes = new List<PgQueueRig>();
        try
        {
            for (var i = 0; i < scenario.Nodes; i++) nodes.Add(await PgQueueRig.StartAsync(database, $"n{i}", clock, NodeTimeout));
            var users = Enumerable.Range(0, scenario.Lanes).Select(_ => LineFixtures.NewUserId()).ToList();
            for (var r = 0; r < scenario.PerLane; r++)
            {
                await nodes[r % scenario.Nodes].PostAndSplitAsync(
                    LineFixtures.Body(users.Select(u => LineFixtures.TextEvent(u, $"{r}")).ToArray()));
            }

            await using var connection = new NpgsqlConnection(database);
            var events = (await connection.QueryAsync<(long Id, string Lane)>("SELECT id, lane FROM events ORDER BY id")).ToList();
            var model = new LaneModel(events, scenario.Nodes, clock.GetUtcNow().ToUnixTimeMilliseconds(), NodeTimeout, Lease);
            var held = nodes.Select(_ => new SortedDictionary<long, QueuedEvent>()).ToList();

            foreach (var step in scenario.Steps)
            {
                await DoAsync(step with { Node = step.Node % scenario.Nodes });
            }

            // Every node back, every lease run out and reaped; then one node drains what is left.
            clock.Advance(Lease);
            model.Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < scenario.Nodes; i++) await DoAsync(new Heartbeat(i));
            await DoAsync(new Advance(0, 0));
            for (var round = 0; round < events.Count && model.Open > 0; round++)
            {
                await DoAsync(new Claim(0));
                while (held[0].Count > 0) await DoAsync(new Complete(0, 0));
            }

            Assert.Equal(0, model.Open);
            foreach (var lane in events.GroupBy(e => e.Lane))
            {
                Assert.Equal(lane.Select(e => e.Id), model.Done(lane.Key)); // each once, in order
            }

            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events WHERE state <> 2"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM lanes WHERE claim_token IS NOT NULL"));

            async Task DoAsync(Step step)
            {
                var node = nodes[step.Node];
                switch (step)
                {
                    case Claim:
                        var claimed = await node.Events.ClaimAsync(100, Lease, CancellationToken.None);
                        Assert.Equal(model.Claim(step.Node), claimed.Select(e => e.Id).Order());
                        foreach (var e in claimed) held[step.Node][e.Id] = e;
                        break;
                    case Complete complete when held[step.Node].Count > 0:
                        var done = held[step.Node].ElementAt(complete.Pick % held[step.Node].Count).Value;
                        held[step.Node].Remove(done.Id);
                        Assert.Equal(model.Complete(step.Node, done.Id),
                            await node.Events.CompleteAsync(done, "sent", 1, [], CancellationToken.None));
                        break;
                    case Retry retry when held[step.Node].Count > 0:
                        var again = held[step.Node].ElementAt(retry.Pick % held[step.Node].Count).Value;
                        held[step.Node].Remove(again.Id);
                        Assert.Equal(model.Retry(step.Node, again.Id) ? 1 : 0,
                            await node.Events.RetryAsync(again.Id, clock.GetUtcNow(), "429", CancellationToken.None));
                        break;
                    case Heartbeat:
                        await node.Lease.HeartbeatAsync(CancellationToken.None);
                        model.Heartbeat(step.Node);
                        break;
                    case Advance advance:
                        clock.Advance(TimeSpan.FromSeconds(advance.Seconds));
                        model.Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                        Assert.Equal(model.Reap(), await node.Lease.ReapAsync(CancellationToken.None));
                        break;
                }
            }
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    private abstract record Step(int Node);

    private sealed record Claim(int Node) : Step(Node);

    private sealed record Complete(int Node, int Pick) : Step(Node);

    private sealed record Retry(int Node, int Pick) : Step(Node);

    private sealed record Heartbeat(int Node) : Step(Node);

    private sealed record Advance(int Seconds, int Node) : Step(Node);

    private sealed record Scenario(int Nodes, int Lanes, int PerLane, Step[] Steps)
    {
        public override string ToString() => $"{Nodes} nodes, {Lanes} lanes x {PerLane}: {string.Join(", ", Steps.AsEnumerable())}";
    }
}
