using System.Globalization;
using BotEngine.Channels;

using BotEngine.Conversations;

namespace BotEngine.Tests.Support;

/// <summary>
/// The contract's demo bot in plain C#, for tests of the conversation runtime without flows (the engine itself
/// runs the flow in data/flows/booking.json): one text answer per text message; <c>ping</c> → pong,
/// <c>count</c> → how many text messages this conversation has sent, this one included.
/// </summary>
internal sealed class DemoBot : IBot
{
    public const string TextsVariable = "texts";
    public const string ChattingStep = "chatting";

    private const int EchoLimit = 200;

    public BotDecision Decide(BotState state, ConversationInput input) => input.Kind switch
    {
        ConversationInput.TextKind => Answer(state, input.Text ?? ""),
        "follow" => BotDecision.Stay(state, OutboundMessage.OfText(
            "Hi, thanks for adding me! Send \"ping\" and I answer pong, or \"count\" to see how many messages you sent.")),
        _ => BotDecision.Stay(state),
    };

    private static BotDecision Answer(BotState state, string text)
    {
        // Every distinct text event counts (pings too); ConversationState guarantees one step per event id.
        var texts = (int.TryParse(state.Get(TextsVariable), CultureInfo.InvariantCulture, out var n) ? n : 0) + 1;
        var next = state.With(TextsVariable, texts.ToString(CultureInfo.InvariantCulture)).MoveTo(ChattingStep);
        var command = text.Trim().ToLowerInvariant();
        var reply = command switch
        {
            "ping" => "pong",
            "count" => $"You have sent {texts} message{(texts == 1 ? "" : "s")} (#{texts}).",
            _ => $"You said: {Shorten(text.Trim())}\nSend \"ping\" or \"count\".",
        };
        return new(next, [OutboundMessage.OfText(reply)]);
    }

    private static string Shorten(string text) => text.Length <= EchoLimit ? text : string.Concat(text.AsSpan(0, EchoLimit), "…");
}
