using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Conversations;

public sealed class ConversationStateTests
{
    private static readonly DemoBot Bot = new();

    [Fact]
    public void Ping_answers_one_text_with_pong()
    {
        var (_, messages) = Handle(ConversationState.Initial, "e1", Text("ping"));
        Assert.Contains("pong", Assert.Single(messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_counts_distinct_text_events_including_pings()
    {
        var state = ConversationState.Initial;
        (state, _) = Handle(state, "e1", Text("ping"));
        (state, _) = Handle(state, "e2", Text("hello"));
        (state, var messages) = Handle(state, "e3", Text(" Count "));

        Assert.Contains("#3", Assert.Single(messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_event_again_is_answered_the_same_without_stepping()
    {
        var state = ConversationState.Initial;
        (state, _) = Handle(state, "e1", Text("ping"));
        (state, var first) = Handle(state, "e2", Text("count"));

        var again = state.Decide(Bot, "e2", 2, Text("count"));

        var remembered = Assert.IsType<ConversationDecision.Remembered>(again);
        Assert.Equal(first, remembered.Messages);
        (_, var next) = Handle(state, "e3", Text("count"));
        Assert.Contains("#3", Assert.Single(next).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_keeps_only_the_latest_events()
    {
        var state = ConversationState.Initial;
        for (var i = 1; i <= ConversationState.Window + 5; i++) (state, _) = Handle(state, $"e{i}", Text("hi"));

        Assert.Equal(ConversationState.Window, state.Recent.Count);
        Assert.Null(state.Find("e5"));
        Assert.NotNull(state.Find("e6"));
        Assert.Equal($"e{ConversationState.Window + 5}", state.Recent[^1].EventId);
    }

    [Fact]
    public void Follow_greets_and_other_non_text_events_answer_nothing_and_do_not_count()
    {
        var state = ConversationState.Initial;
        (state, var greeting) = Handle(state, "f1", new ConversationInput("follow"));
        (state, var none) = Handle(state, "p1", new ConversationInput(ConversationInput.PostbackKind, Data: "a=1"));
        (_, var count) = Handle(state, "t1", Text("count"));

        Assert.Single(greeting);
        Assert.Empty(none);
        Assert.Contains("#1", Assert.Single(count).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_text_gets_a_short_help_echo()
    {
        var (_, messages) = Handle(ConversationState.Initial, "e1", Text(new string('x', 5000)));
        var text = Assert.Single(messages).Text;
        Assert.Contains("ping", text, StringComparison.Ordinal);
        Assert.True(text.Length < 300, text);
    }

    [Fact]
    public void Apply_is_pure_and_leaves_the_previous_state_untouched()
    {
        var before = ConversationState.Initial;
        var (after, _) = Handle(before, "e1", Text("ping"));

        Assert.Equal(BotState.Initial, before.Bot);
        Assert.Empty(before.Recent);
        Assert.Equal("1", after.Bot.Get(DemoBot.TextsVariable));
    }

    internal static ConversationInput Text(string text) => new(ConversationInput.TextKind, text);

    private static (ConversationState State, IReadOnlyList<OutboundMessage> Messages) Handle(
        ConversationState state, string eventId, ConversationInput input)
    {
        var step = Assert.IsType<ConversationDecision.Advance>(state.Decide(Bot, eventId, 1, input));
        return (state.Apply(step.Event), step.Event.Messages);
    }
}
