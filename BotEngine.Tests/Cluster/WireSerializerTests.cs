using BotEngine.Channels.Line;
using Akka.Actor;
using BotEngine.Channels;
using BotEngine.Cluster;
using BotEngine.Conversations;

namespace BotEngine.Tests.Cluster;

/// <summary>The messages that cross nodes read back equal, including answers with quick replies and templates.</summary>
public sealed class WireSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("wire");

    [Fact]
    public void Commands_and_answers_read_back_equal()
    {
        var serializer = new WireSerializer((ExtendedActorSystem)_system);
        var key = new ConversationKey(LineChannel.Id, "U1");
        var answer = new EventHandled(7, "e7",
        [
            new OutboundMessage("pick", [new QuickReply("A", Text: "a"), new QuickReply("B", Data: "b=1")]),
            new OutboundMessage("sure?", Template: new MessageTemplate(MessageTemplate.Confirm,
                [new TemplateAction("yes", Data: "y"), new TemplateAction("no", Text: "no")], "Title")),
        ], [TimerCommand.Set("remind", TimeSpan.FromMinutes(5)), new TimerCommand("old", null)]);
        object[] messages =
        [
            new HandleEvent(key, 7, "e7", new ConversationInput("text", "hi", null, "U1")),
            answer,
            new GetConversation(key),
            new ConversationView(key, "start", new Dictionary<string, string> { ["name"] = "Ann" }),
            new ResetConversation(key),
            new ConversationReset(key),
            new ConversationUnreadable(key, "replay failed: unknown manifest"),
        ];

        foreach (var message in messages)
        {
            var back = serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()),
                System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
            Assert.Equal(message.GetType(), back.GetType());
        }

        var handled = (EventHandled)serializer.FromBinary(serializer.ToBinary(answer), "handled");
        Assert.Equal(["A", "B"], handled.Messages[0].QuickReplies!.Select(q => q.Label));
        Assert.Equal(TimeSpan.FromMinutes(5), handled.Timers![0].After);
    }

    public void Dispose() => _system.Dispose();
}
