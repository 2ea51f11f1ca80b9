using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Tests.Channels.Dev;

/// <summary>A bot for the page's buttons: <c>menu</c> answers a confirm template, then a message with quick replies.</summary>
internal sealed class ButtonsBot : IBot
{
    public BotDecision Decide(BotState state, ConversationInput input) => (input.Kind, input.Text) switch
    {
        (ConversationInput.TextKind, "menu") => BotDecision.Stay(state,
            new OutboundMessage("Book a table for tonight?", Template: new MessageTemplate(
                MessageTemplate.Confirm, [new TemplateAction("Book", Data: "book"), new TemplateAction("No", Text: "no")],
                Title: "Booking")),
            new OutboundMessage("Or pick one:", [new QuickReply("Yes", Text: "yes"), new QuickReply("Later", Data: "later")])),
        (ConversationInput.TextKind, var text) => BotDecision.Stay(state.With("last", text ?? ""), OutboundMessage.OfText($"you said {text}")),
        (ConversationInput.PostbackKind, _) => BotDecision.Stay(state.MoveTo(input.Data ?? "?"), OutboundMessage.OfText($"postback {input.Data}")),
        _ => BotDecision.Stay(state),
    };
}
