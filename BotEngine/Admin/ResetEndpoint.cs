using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Admin;

/// <summary>
/// <c>POST /admin/conversations/{key}/reset</c>: erases one conversation's persisted state (journal and snapshots)
/// so its user starts over, e.g. after its replay failed. The key is the lane form <c>line:U123…</c>, URL-escaped
/// (<c>line%3AU123…</c>). Its dead-lettered events stay dead: retry them once the user should get their answers.
/// In cluster mode any node takes it: sharding carries it to the node where the conversation lives.
/// </summary>
internal static class ResetEndpoint
{
    public static async Task<IResult> ResetAsync(
        string key, IConversations conversations, ChannelSet channels, ILoggerFactory loggers)
    {
        if (!ConversationKey.TryFromLane(Uri.UnescapeDataString(key), out var conversation)
            || !channels.IsKnown(conversation.Channel.Name))
        {
            return Results.BadRequest(new { error = "key: a conversation as channel:id (its lane), URL-escaped" });
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await conversations.ResetAsync(conversation, timeout.Token);

        loggers.CreateLogger(typeof(ResetEndpoint)).LogWarning("Conversation {Conversation} was reset", conversation.Lane);
        return Results.Ok(new { conversation = conversation.Lane, reset = true });
    }
}
