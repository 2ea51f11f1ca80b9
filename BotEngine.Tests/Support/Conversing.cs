using Akka.Actor;
using Akka.Hosting;
using BotEngine.Channels;
using BotEngine.Conversations;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Support;

/// <summary>
/// Talking to a running engine's conversations from a test: what one remembers, how many actors live, and what the
/// engine's own bot would have answered, folded over inputs from the start.
/// </summary>
public static class Conversing
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The conversation's messages and timers for an event it already applied (replayed if the actor was stopped).</summary>
    internal static async Task<EventHandled> RememberedAsync(BotEngineApp app, ConversationKey key, string eventId, ConversationInput input)
    {
        var conversations = app.Services.GetRequiredService<IConversations>();
        using var timeout = new CancellationTokenSource(AskTimeout);
        return await conversations.HandleAsync(new HandleEvent(key, 0, eventId, input), timeout.Token);
    }

    internal static async Task<ConversationView> ViewAsync(BotEngineApp app, ConversationKey key)
    {
        using var timeout = new CancellationTokenSource(AskTimeout);
        return await app.Services.GetRequiredService<IConversations>().GetAsync(key, timeout.Token);
    }

    public static async Task<int> LiveActorsAsync(BotEngineApp app)
    {
        var router = await app.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
        return (await router.Ask<ConversationStats>(GetConversationStats.Instance, AskTimeout)).Live;
    }

    /// <summary>Waits until every conversation actor has stopped (idle timeout).</summary>
    public static Task AllIdleAsync(BotEngineApp app, TimeSpan deadline) =>
        Eventually.ValueAsync(() => LiveActorsAsync(app), live => live == 0, deadline, "conversation actors still alive");

    /// <summary>The engine's bot run over <paramref name="inputs"/> from the initial state: the expected decisions.</summary>
    internal static IReadOnlyList<BotDecision> Fold(BotEngineApp app, IEnumerable<ConversationInput> inputs)
    {
        var bot = app.Services.GetRequiredService<IBot>();
        var state = BotState.Initial;
        var decisions = new List<BotDecision>();
        foreach (var input in inputs)
        {
            var decision = bot.Decide(state, input);
            decisions.Add(decision);
            state = decision.State;
        }

        return decisions;
    }

    /// <summary>A message's every persisted part as text, so two can be compared (an empty list counts as none).</summary>
    internal static string Describe(OutboundMessage m) =>
        $"{m.Text} | quick: {string.Join(", ", (m.QuickReplies ?? []).Select(q => Action(q.Label, q.Text, q.Data)))}"
        + (m.Template is { } t ? $" | {t.Kind} '{t.Title}': {string.Join(", ", t.Actions.Select(a => Action(a.Label, a.Text, a.Data)))}" : "");

    internal static string Describe(IEnumerable<OutboundMessage> messages, IEnumerable<TimerCommand>? timers) =>
        string.Join(" // ", messages.Select(Describe))
        + " || timers: " + string.Join(", ", (timers ?? []).Select(t => $"{t.Name}@{t.After?.ToString() ?? "cancel"}"));

    private static string Action(string label, string? text, string? data) => $"{label}>{text ?? "-"}/{data ?? "-"}";
}
