using System.Collections.Immutable;
using BotEngine.Channels;

namespace BotEngine.Conversations;

/// <summary>
/// Persisted as a snapshot (manifest <c>conversation-state/1</c>, Persistence/Format/conversation_v1.proto). A conversation's bot state plus the last
/// <see cref="Window"/> events applied, so an event handed in again (after a crash, or an admin retry of a
/// dead-lettered event) is answered with the messages it produced the first time and never steps the bot twice.
/// </summary>
public sealed record ConversationState(BotState Bot, ImmutableList<AppliedEvent> Recent)
{
    /// <summary>How many applied events are remembered. The queue hands one event per conversation at a time, in
    /// order, so a repeat is almost always the latest event; 32 also covers a late admin retry.</summary>
    public const int Window = 32;

    public static ConversationState Initial { get; } = new(BotState.Initial, []);

    public AppliedEvent? Find(string eventId) => Recent.FindLast(e => e.EventId == eventId);

    /// <summary>Pure: what handling this event means. Either an answer remembered from before, or a new event to persist.</summary>
    public ConversationDecision Decide(IBot bot, string eventId, long queueId, ConversationInput input)
    {
        if (Find(eventId) is { } seen) return new ConversationDecision.Remembered(seen.Messages, seen.Timers ?? []);
        var decision = bot.Decide(Bot, input);
        return new ConversationDecision.Advance(new EventApplied(
            eventId, queueId, decision.State, decision.Messages.ToArray(), decision.Timers?.ToArray() ?? []));
    }

    /// <summary>Pure: the state after a persisted event.</summary>
    public ConversationState Apply(EventApplied e)
    {
        var recent = Recent.Add(new AppliedEvent(e.EventId, e.QueueId, e.Messages, e.Timers));
        return new(e.State, recent.Count > Window ? recent.RemoveRange(0, recent.Count - Window) : recent);
    }
}

/// <summary>What <see cref="ConversationState.Decide"/> concluded.</summary>
public abstract record ConversationDecision
{
    private ConversationDecision() { }

    /// <summary>The event was applied before: answer the same messages, persist nothing.</summary>
    public sealed record Remembered(IReadOnlyList<OutboundMessage> Messages, IReadOnlyList<TimerCommand> Timers)
        : ConversationDecision;

    /// <summary>A new event: persist it, apply it, then answer its messages.</summary>
    public sealed record Advance(EventApplied Event) : ConversationDecision;
}
