using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using BotEngine;
using BotEngine.Channels;
using BotEngine.Channels.Dev;
using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Shards;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConversationBench;

/// <summary>
/// The conversation actors alone, as the engine registers them, on real shard files (Durability Full): N events of N
/// new conversations, then one more event of each (live actors), as many asks in flight as the delivery worker allows (BotEngine:MaxInFlight).
/// Prints events/s and CPU per event of both rounds, and the process's GC count and pause, CPU and JIT time; the pipeline in front
/// (queue, delivery) is not part of it. <c>BENCH_DURABILITY=Normal</c> runs the shard files at synchronous=NORMAL.
/// </summary>
internal static class ActorThroughput
{
    private static readonly int InFlight = new BotEngineOptions().MaxInFlight;

    public static async Task<int> RunAsync(int events)
    {
        var folder = Directory.CreateTempSubdirectory("conversation-bench-").FullName;
        try
        {
            using var host = await StartAsync(folder);
            var router = await host.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
            var keys = Enumerable.Range(0, events).Select(i => new ConversationKey(LineChannel.Id, $"U{i:x32}")).ToArray();
            await RoundAsync(router, keys, 0, 200); // warm-up: JIT, connections
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var first = await RoundAsync(router, keys, 1, events);
            var cpuNew = Environment.CpuUsage.TotalTime - cpuBefore;
            var second = await RoundAsync(router, keys, 2, events);
            var cpuLive = Environment.CpuUsage.TotalTime - cpuBefore - cpuNew;
            Console.WriteLine($"RESULT shards={ConversationShards.Count} events={events} new={events / first.TotalSeconds:F0}/s " +
                $"live={events / second.TotalSeconds:F0}/s cpu_per_event_new={cpuNew.TotalMicroseconds / events:F0}us " +
                $"cpu_per_event_live={cpuLive.TotalMicroseconds / events:F0}us gc0={GC.CollectionCount(0)} gc1={GC.CollectionCount(1)} gc2={GC.CollectionCount(2)} " +
                $"gcpause={GC.GetTotalPauseDuration().TotalMilliseconds:F0}ms cpu={Environment.CpuUsage.TotalTime.TotalMilliseconds:F0}ms " +
                $"lockwaits={Monitor.LockContentionCount} jit={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0}ms");
            await host.StopAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<TimeSpan> RoundAsync(IActorRef router, ConversationKey[] keys, int round, int count)
    {
        var clock = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(InFlight);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await slots.WaitAsync();
            var key = round == 0 ? new ConversationKey(DevChannel.Id, $"warm{i}") : keys[i];
            var command = new HandleEvent(key, i, $"{round}-{i}", new ConversationInput(ConversationInput.TextKind, "count"));
            tasks.Add(router.Ask<EventHandled>(command, TimeSpan.FromSeconds(60)).ContinueWith(_ => slots.Release(),
                TaskScheduler.Default));
        }

        await Task.WhenAll(tasks);
        return clock.Elapsed;
    }

    private static async Task<IHost> StartAsync(string folder)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BotEngine:DataDirectory"] = folder, ["BotEngine:Durability"] = Environment.GetEnvironmentVariable("BENCH_DURABILITY") ?? "Full" });
        builder.Logging.AddFilter("Akka", LogLevel.Warning);
        builder.Services.AddHealthChecks();
        builder.AddBotEngineOptions();
        builder.Services.AddSingleton<IBot, CountBot>();
        builder.AddConversationActors();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class CountBot : IBot
    {
        public BotDecision Decide(BotState state, ConversationInput input)
        {
            var n = int.Parse(state.Get("n") ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
            var text = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new(state.With("n", text), [new OutboundMessage($"#{text}", [new QuickReply("count", "count")])]);
        }
    }
}
