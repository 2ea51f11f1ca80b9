using BotEngine.Conversations;

namespace BotEngine.Admin;

/// <summary>
/// <c>POST /admin/conversations/{key}/reset</c>: erases one conversation's persisted state (journal and snapshots)
/// so its user starts over, e.g. after its replay failed. The key is the lane form <c>line:U123…</c>, URL-escaped
/// (<c>line%3AU123…</c>). Its dead-lettered events stay dead: retry them once the user should get their answers.
/// </summary>
internal static class ResetEndpoint
{
    public static async Task<IResult> ResetAsync(string key, IConversations conversations, ILoggerFactory loggers)
    {
        if (!TryParse(Uri.UnescapeDataString(key), out var conversation))
        {
            return Results.BadRequest(new { error = "key: a conversation as channel:id, e.g. line:U0123…, URL-escaped" });
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await conversations.ResetAsync(conversation, timeout.Token);
        loggers.CreateLogger(typeof(ResetEndpoint)).LogWarning("Conversation {Conversation} was reset", conversation.Lane);
        return Results.Ok(new { conversation = conversation.Lane, reset = true });
    }

    private static bool TryParse(string lane, out ConversationKey key)
    {
        key = default;
        var colon = lane.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == lane.Length - 1) return false;
        try
        {
            key = ConversationKey.FromLane(lane);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // unknown channel
        }
    }
}
