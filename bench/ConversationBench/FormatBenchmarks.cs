using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using BenchmarkDotNet.Attributes;
using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Format;

namespace ConversationBench;

/// <summary>
/// A typical EventApplied (one answer with 4 quick replies, 5 variables, one timer) and a full snapshot (32 remembered
/// events), in the engine's format (protobuf), System.Text.Json (source-generated, over the same types) and Akka's
/// default Newtonsoft JSON serializer (the format before; it cannot read its quick replies back, so write only).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PersistFormatBenchmarks
{
    private readonly EventApplied _event = Samples.Event();
    private readonly ConversationState _snapshot = Samples.Snapshot();
    private ActorSystem _system = null!;
    private Serializer _newtonsoft = null!;
    private byte[] _eventProto = [], _snapshotProto = [], _eventJson = [], _snapshotJson = [];

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _newtonsoft = new NewtonSoftJsonSerializer((ExtendedActorSystem)_system);
        _eventProto = PersistedFormat.Write(_event);
        _snapshotProto = PersistedFormat.Write(_snapshot);
        _eventJson = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_event, SampleJson.Default.EventApplied);
        _snapshotJson = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_snapshot, SampleJson.Default.ConversationState);
        Console.WriteLine($"// SIZES event: protobuf {_eventProto.Length} B, System.Text.Json {_eventJson.Length} B, " +
            $"Newtonsoft {_newtonsoft.ToBinary(_event).Length} B; snapshot: protobuf {_snapshotProto.Length} B, " +
            $"System.Text.Json {_snapshotJson.Length} B, Newtonsoft {_newtonsoft.ToBinary(_snapshot).Length} B");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark] public byte[] EventWriteProtobuf() => PersistedFormat.Write(_event);
    [Benchmark] public object EventReadProtobuf() => PersistedFormat.Read(_eventProto, PersistedFormat.EventApplied);
    [Benchmark] public byte[] EventWriteJson() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_event, SampleJson.Default.EventApplied);
    [Benchmark] public object? EventReadJson() => System.Text.Json.JsonSerializer.Deserialize(_eventJson, SampleJson.Default.EventApplied);
    [Benchmark] public byte[] EventWriteNewtonsoft() => _newtonsoft.ToBinary(_event);
    [Benchmark] public byte[] SnapshotWriteProtobuf() => PersistedFormat.Write(_snapshot);
    [Benchmark] public object SnapshotReadProtobuf() => PersistedFormat.Read(_snapshotProto, PersistedFormat.ConversationState);
    [Benchmark] public byte[] SnapshotWriteJson() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_snapshot, SampleJson.Default.ConversationState);
    [Benchmark] public object? SnapshotReadJson() => System.Text.Json.JsonSerializer.Deserialize(_snapshotJson, SampleJson.Default.ConversationState);
    [Benchmark] public byte[] SnapshotWriteNewtonsoft() => _newtonsoft.ToBinary(_snapshot);
}

internal static class Samples
{
    public static EventApplied Event() => new(
        "01JBENCH000000000000000000", 123456,
        new BotState("ask_people", new Dictionary<string, string>
        {
            ["texts"] = "3", ["input"] = "2026-12-24", ["flow.id"] = "booking", ["flow.version"] = "1", ["date"] = "2026-12-24",
        }),
        [new OutboundMessage("For how many people (1 to 12)?",
            [new QuickReply("1", "1"), new QuickReply("2", "2"), new QuickReply("3", "3"), new QuickReply("4", "4")])],
        [TimerCommand.Set("timeout:ask_people", TimeSpan.FromMinutes(15))]);

    public static ConversationState Snapshot()
    {
        var e = Event();
        return new(e.State, Enumerable.Range(0, ConversationState.Window)
            .Select(i => new AppliedEvent($"01JBENCH{i:D18}", 123456 + i, e.Messages, e.Timers)).ToImmutableList());
    }
}

[JsonSerializable(typeof(EventApplied))]
[JsonSerializable(typeof(ConversationState))]
internal sealed partial class SampleJson : JsonSerializerContext;
