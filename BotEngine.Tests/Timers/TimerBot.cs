using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Tests.Timers;

/// <summary>A bot for timer tests: <c>remind</c> sets the timer "nudge", <c>cancel</c> cancels it; it answers a fired one.</summary>
internal sealed class TimerBot(TimeSpan after) : IBot
{
    public const string Timer = "nudge";
    public const string Reminder = "reminder: nudge";

    public BotDecision Decide(BotState state, ConversationInput input) => (input.Kind, input.Text, input.Data) switch
    {
        (ConversationInput.TextKind, "remind", _) =>
            new(state, [OutboundMessage.OfText("ok, I will remind you")], [TimerCommand.Set(Timer, after)]),
        (ConversationInput.TextKind, "cancel", _) =>
            new(state, [OutboundMessage.OfText("cancelled")], [TimerCommand.Cancel(Timer)]),
        (TimerCommand.InputKind, _, Timer) => new(state.MoveTo("reminded"), [OutboundMessage.OfText(Reminder)]),
        _ => BotDecision.Stay(state, OutboundMessage.OfText("?")),
    };
}
