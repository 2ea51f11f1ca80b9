using System.Text;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Upgrade;

namespace BotEngine.Tests.Conversations.Upgrade;

/// <summary>Payloads of the earlier build's Newtonsoft serializer, beyond what the fixture file happens to hold.</summary>
public sealed class LegacyJsonTests
{
    [Fact]
    public void References_wrapped_and_plain_arrays_and_missing_members_are_read()
    {
        var json = """
            {"$id":"1","$type":"BotEngine.Conversations.EventApplied, botengine","EventId":"e1","QueueId":7,
             "State":{"$id":"2","$type":"BotEngine.Conversations.BotState, botengine","Step":"menu",
                      "Variables":{"$id":"3","$type":"System.Collections.Generic.Dictionary`2[...]","texts":"2"}},
             "Messages":[
               {"$id":"4","$type":"BotEngine.Channels.OutboundMessage, botengine","Text":"pick",
                "QuickReplies":{"$type":"<>z__ReadOnlyList`1[...]","$values":[{"$id":"5","Label":"a","Data":"x=1"}]}},
               {"$ref":"4"}],
             "Timers":{"$type":"BotEngine.Conversations.TimerCommand[], botengine",
                       "$values":[{"$id":"6","Name":"t","After":"1.02:03:04.5000000"},{"$id":"7","Name":"u"}]}}
            """;

        var e = Assert.IsType<EventApplied>(LegacyJson.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(("e1", 7L, "menu", "2"), (e.EventId, e.QueueId, e.State.Step, e.State.Get("texts")));
        Assert.Equal(2, e.Messages.Count);
        Assert.All(e.Messages, m => Assert.Equal(("pick", "a", "x=1"), (m.Text, m.QuickReplies!.Single().Label, m.QuickReplies!.Single().Data)));
        Assert.Equal(new TimeSpan(1, 2, 3, 4, 500), e.Timers![0].After);
        Assert.Null(e.Timers[1].After);
    }

    [Fact]
    public void A_payload_of_another_type_is_refused_with_its_type_name()
    {
        var error = Assert.ThrowsAny<Exception>(() => LegacyJson.Read("""{"$type":"Some.Other, x"}"""u8.ToArray()));

        Assert.Contains("Some.Other", error.Message, StringComparison.Ordinal);
    }
}
