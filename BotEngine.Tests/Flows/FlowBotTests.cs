using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Flows.Runtime;

namespace BotEngine.Tests.Flows;

/// <summary>The booking demo run through <see cref="FlowBot"/> alone: no Akka, no host, no I/O.</summary>
public sealed class FlowBotTests
{
    private readonly FlowBot _bot = FlowText.Booking();
    private BotState _state = BotState.Initial;

    [Fact]
    public void Ping_answers_one_pong_and_count_counts_every_text_this_one_included()
    {
        Assert.Contains("pong", Single(Text("ping")).Text, StringComparison.Ordinal);
        Text("hello");
        Assert.Contains("#3", Single(Text("count")).Text, StringComparison.Ordinal);
        Assert.Contains("#4", Single(Text("count")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_says_message_once_and_messages_after()
    {
        Assert.Equal("You have sent 1 message (#1).", Single(Text("count")).Text);
        Assert.Equal("You have sent 2 messages (#2).", Single(Text("count")).Text);
    }

    [Theory]
    [InlineData("{n} {n|apple|apples}", "1", "1 apple")]
    [InlineData("{n} {n|apple|apples}", "0", "0 apples")]
    [InlineData("{n} {n|apple|apples}", "12", "12 apples")]
    [InlineData("{n|one|}{{n}}", "3", "{n}")]
    public void A_template_picks_the_word_for_one_or_for_other_counts(string template, string n, string expected) =>
        Assert.Equal(expected, Templates.Render(template, new Dictionary<string, string> { ["n"] = n }));

    [Fact]
    public void Every_text_of_a_booking_gets_exactly_one_answer()
    {
        foreach (var text in new[] { "hi", "book", "tomorrow", "2026-05-31", "ping", "99", "4", "count", "maybe", "yes" })
        {
            Single(Text(text));
        }
        Assert.Equal("10", _state.Get(FlowBot.TextsVariable));
    }

    [Fact]
    public void Booking_captures_with_re_ask_then_confirms_with_a_template_and_a_step()
    {
        Assert.Contains("which date", Single(Text("I want to book a table")).Text, StringComparison.Ordinal);
        Assert.Contains("not a date", Single(Text("next friday")).Text, StringComparison.Ordinal);
        Assert.Equal("ask_date", _state.Step);

        var people = Single(Text("2026-05-31"));
        Assert.Equal(["1", "2", "3", "4", "6"], people.QuickReplies!.Select(q => q.Text));
        Assert.Contains("number from 1 to 12", Single(Text("20")).Text, StringComparison.Ordinal);

        var confirm = Single(Text("4"));
        Assert.Equal("Book a table for 4 on 2026-05-31?", confirm.Text);
        Assert.Equal(MessageTemplate.Confirm, confirm.Template!.Kind);
        Assert.Equal(["booking=yes", "booking=no"], confirm.Template.Actions.Select(a => a.Data));

        var booked = Single(Decide(new ConversationInput(ConversationInput.PostbackKind, Data: "booking=yes", UserId: "U1")));
        Assert.Matches("Booked: a table for 4 on 2026-05-31. Your reference is BK-[0-9]{6}.", booked.Text);
        Assert.Equal("menu", _state.Step);
    }

    [Fact]
    public void Entering_a_state_sets_its_timeout_and_leaving_cancels_it()
    {
        Assert.Equal([TimerCommand.Set(FlowBot.TimeoutTimer("ask_date"), TimeSpan.FromMinutes(15))], Step("book").Timers);

        var next = Step("2026-05-31");

        Assert.Equal([TimerCommand.Cancel(FlowBot.TimeoutTimer("ask_date")),
            TimerCommand.Set(FlowBot.TimeoutTimer("ask_people"), TimeSpan.FromMinutes(15))], next.Timers);
    }

    [Fact]
    public void A_fired_timeout_reminds_in_its_state_and_a_stale_one_is_ignored()
    {
        Text("book");
        Assert.Contains("Still there?", Single(Timer(FlowBot.TimeoutTimer("ask_date"))).Text, StringComparison.Ordinal);
        Assert.Equal("ask_date", _state.Step);

        Assert.Empty(Timer(FlowBot.TimeoutTimer("confirm")));
    }

    [Fact]
    public void Remind_me_sets_a_named_timer_whose_firing_is_answered()
    {
        var decision = Step("remind me");

        Assert.Equal([TimerCommand.Set("reminder", TimeSpan.FromMinutes(10))], decision.Timers);
        Assert.StartsWith("Reminder:", Single(Timer("reminder")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_clears_the_booking_but_keeps_the_count()
    {
        Text("book");
        Text("2026-05-31");

        var decision = Step("reset");

        Assert.Equal("menu", _state.Step);
        Assert.Null(_state.Get("date"));
        Assert.Equal("3", _state.Get(FlowBot.TextsVariable));
        Assert.Contains(TimerCommand.Cancel("reminder"), decision.Timers!);
    }

    [Fact]
    public void Follow_event_is_greeted_without_counting_as_a_text()
    {
        Assert.Contains("thanks for adding me", Single(Decide(new ConversationInput("follow"))).Text, StringComparison.Ordinal);
        Assert.Null(_state.Get(FlowBot.TextsVariable));
    }

    [Fact]
    public void Booking_messages_map_to_line_messages_the_spec_allows()
    {
        Text("book");
        var line = LineMessages.ToLine(Single(Text("2026-05-31")));
        var confirm = LineMessages.ToLine(Single(Text("4")));

        Assert.Equal(("text", 5), (line.Type, line.QuickReply!.Items.Count));
        Assert.Equal(("template", "confirm", "postback"), (confirm.Type, confirm.Template!.Type, confirm.Template.Actions[0].Type));
    }

    private IReadOnlyList<OutboundMessage> Text(string text) => Decide(new ConversationInput(ConversationInput.TextKind, text));

    private IReadOnlyList<OutboundMessage> Timer(string name) => Decide(new ConversationInput(FlowBot.TimerKind, Data: name));

    private BotDecision Step(string text)
    {
        var decision = _bot.Decide(_state, new ConversationInput(ConversationInput.TextKind, text));
        _state = decision.State;
        return decision;
    }

    private IReadOnlyList<OutboundMessage> Decide(ConversationInput input)
    {
        var decision = _bot.Decide(_state, input);
        _state = decision.State;
        return decision.Messages;
    }

    private static OutboundMessage Single(IReadOnlyList<OutboundMessage> messages) => Assert.Single(messages);
}
