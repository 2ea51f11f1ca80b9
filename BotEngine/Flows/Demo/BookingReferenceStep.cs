using System.Globalization;
using System.Text;
using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Flows.Runtime;

namespace BotEngine.Flows.Demo;

/// <summary>
/// The C# step the booking flow calls (<c>"call": {"step": "booking-reference", "sets": ["reference"]}</c>): a short
/// reference derived from the booking's variables. Pure: the same booking always gets the same reference.
/// </summary>
internal sealed class BookingReferenceStep : IFlowStep
{
    public string Name => "booking-reference";

    public FlowStepResult Run(BotState state, ConversationInput input)
    {
        var key = $"{input.UserId}|{state.Get("date")}|{state.Get("people")}|{state.Get(FlowBot.TextsVariable)}";
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key)) hash = (hash ^ b) * 16777619u;
        var reference = "BK-" + (hash % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        return new FlowStepResult(state.With("reference", reference));
    }
}
