using System.Collections.Immutable;
using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Tests.Conversations.Golden;

/// <summary>
/// The canonical objects whose bytes are kept per manifest version in this folder: every message kind and timer
/// command, non-ASCII text, a full remembered window. Never change them for an existing version: a new shape is a
/// new version with its own golden file (docs/PERSISTENCE.md).
/// </summary>
internal static class GoldenSamples
{
    public static EventApplied EventApplied { get; } = new(
        "01JGOLDEN0000000000000000A", 4242,
        new BotState("confirm", new Dictionary<string, string>
        {
            ["texts"] = "7", ["date"] = "2026-12-24", ["people"] = "4", ["名前"] = "さくら", ["empty"] = "",
        }),
        [
            OutboundMessage.OfText("ようこそ! Welcome."),
            new("For how many people?", [new QuickReply("1"), new QuickReply("two", Text: "2"), new QuickReply("Later", Data: "later=1")]),
            new("Book a table for 4 on 2026-12-24?", Template: new MessageTemplate(MessageTemplate.Confirm,
                [new TemplateAction("Yes", Data: "booking=yes"), new TemplateAction("No", Text: "no")])),
            new("What would you like to do?", [new QuickReply("help", Text: "help")], new MessageTemplate(MessageTemplate.Buttons,
                [new TemplateAction("Book", Text: "book"), new TemplateAction("Remind me", Data: "remind=yes"),
                    new TemplateAction("Both", Text: "both", Data: "both=1")], Title: "Menu")),
        ],
        [TimerCommand.Set("reminder", TimeSpan.FromMinutes(10)), TimerCommand.Cancel("timeout:ask_date"),
            TimerCommand.Set("precise", TimeSpan.FromTicks(123_456_789))]);

    public static ConversationState ConversationState { get; } = new(
        EventApplied.State,
        Enumerable.Range(1, BotEngine.Conversations.ConversationState.Window).Select(i => i % 4 == 0
            ? new AppliedEvent($"01JGOLDENRECENT{i:D11}", 1000 + i, EventApplied.Messages, EventApplied.Timers)
            : new AppliedEvent($"01JGOLDENRECENT{i:D11}", 1000 + i, [OutboundMessage.OfText($"#{i}")], []))
            .ToImmutableList());

    /// <summary>The object each manifest version's golden bytes read back as (today's types, after upcasting).</summary>
    public static object Expected(string manifest) => manifest switch
    {
        "event-applied/1" => EventApplied,
        "conversation-state/1" => ConversationState,
        _ => throw new ArgumentOutOfRangeException(nameof(manifest), manifest, "no golden sample: add one with the version"),
    };
}
