using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Tests.Support;
using BotEngine.Flows.Runtime;

namespace BotEngine.Tests.Flows;

public sealed class FlowVersioningTests
{
    private const string Version1 = """
        {
          "id": "shop", "version": 1, "start": "menu", "fallback": "menu",
          "commands": [ { "on": { "any": true }, "say": "in {where}" } ],
          "states": {
            "menu": { "on": [ { "on": { "text": "go" }, "goto": "old" } ] },
            "old": { "on": [ { "on": { "text": "here?" }, "set": { "where": "old" }, "say": "still in old" } ] }
          }
        }
        """;

    private const string Version2 = """
        {
          "id": "shop", "version": 2, "start": "menu", "fallback": "menu",
          "commands": [ { "on": { "any": true }, "set": { "where": "menu" }, "say": "in {where}" } ],
          "states": {
            "menu": { "on": [ { "on": { "text": "go" }, "goto": "new" } ] },
            "new": { "say": "new!" }
          }
        }
        """;

    [Fact]
    public void Conversation_whose_state_still_exists_continues_there_after_a_change()
    {
        var state = Run(new FlowBot(FlowText.Parse(Version1)), BotState.Initial, "go").State;
        var changed = Version1.Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal);

        var decision = Run(new FlowBot(FlowText.Parse(changed)), state, "here?");

        Assert.Equal(("old", "still in old", "2"),
            (decision.State.Step, decision.Messages.Single().Text, decision.State.Get(FlowBot.FlowVersionVariable)));
    }

    [Fact]
    public void Conversation_whose_state_vanished_moves_to_the_fallback_and_is_answered()
    {
        var state = Run(new FlowBot(FlowText.Parse(Version1)), BotState.Initial, "go").State;
        Assert.Equal("old", state.Step);

        var decision = Run(new FlowBot(FlowText.Parse(Version2)), state, "here?");

        Assert.Equal(("menu", "in menu"), (decision.State.Step, decision.Messages.Single().Text));
        Assert.Contains(BotEngine.Conversations.TimerCommand.Cancel(FlowBot.TimeoutTimer("old")), decision.Timers!);
    }

    [Fact]
    public void Conversation_left_by_the_old_demo_bot_keeps_its_count_in_the_flow()
    {
        var demo = new DemoBot();
        var state = Run(demo, Run(demo, BotState.Initial, "a").State, "b").State;

        var decision = Run(FlowText.Booking(), state, "count");

        Assert.Contains("#3", decision.Messages.Single().Text, StringComparison.Ordinal);
        Assert.Equal("menu", decision.State.Step);
    }

    private static BotDecision Run(IBot bot, BotState state, string text) =>
        bot.Decide(state, new ConversationInput(ConversationInput.TextKind, text));
}
