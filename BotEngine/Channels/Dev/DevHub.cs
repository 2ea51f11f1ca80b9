using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BotEngine.Channels.Dev;

/// <summary>One line of a dev chat: what the user sent (<c>from = "user"</c>) or one message the bot answered.</summary>
internal sealed record DevEntry(
    long Seq, string From, long At, string Text, string? Data = null,
    IReadOnlyList<QuickReply>? QuickReplies = null, MessageTemplate? Template = null, string? EventId = null)
{
    public const string FromUser = "user";
    public const string FromBot = "bot";
}

/// <summary>
/// The dev chats in memory: a short history per simulated user (so a page that reconnects shows recent lines) and
/// the open streams that receive each new line. Nothing here is durable: the conversation itself is.
/// </summary>
internal sealed class DevHub(TimeProvider clock)
{
    public const int HistoryLimit = 100;

    private readonly ConcurrentDictionary<string, Chat> _chats = new(StringComparer.Ordinal);
    private long _seq;

    /// <summary>Adds a line to a user's chat; a bot message already shown (same event and index) is not shown twice.</summary>
    public void Publish(string user, string from, string text, string? data = null, OutboundMessage? message = null,
        string? eventId = null)
    {
        var chat = _chats.GetOrAdd(user, _ => new Chat());
        lock (chat)
        {
            if (eventId is not null && chat.History.Any(e => e.EventId == eventId))
            {
                return;
            }

            var entry = new DevEntry(Interlocked.Increment(ref _seq), from, clock.GetUtcNow().ToUnixTimeMilliseconds(),
                text, data, message?.QuickReplies, message?.Template, eventId);
            chat.History.Enqueue(entry);
            while (chat.History.Count > HistoryLimit)
            {
                chat.History.Dequeue();
            }

            foreach (var subscriber in chat.Subscribers)
            {
                subscriber.Writer.TryWrite(entry);
            }
        }
    }

    public IReadOnlyList<DevEntry> History(string user)
    {
        if (!_chats.TryGetValue(user, out var chat))
        {
            return [];
        }

        lock (chat)
        {
            return chat.History.ToArray();
        }
    }

    /// <summary>The user's recent lines, then every new one until <paramref name="ct"/> ends the stream.</summary>
    public async IAsyncEnumerable<DevEntry> SubscribeAsync(string user, [EnumeratorCancellation] CancellationToken ct)
    {
        var chat = _chats.GetOrAdd(user, _ => new Chat());
        var live = System.Threading.Channels.Channel.CreateUnbounded<DevEntry>(new UnboundedChannelOptions { SingleReader = true });
        DevEntry[] recent;
        lock (chat)
        {
            recent = chat.History.ToArray();
            chat.Subscribers.Add(live);
        }

        try
        {
            foreach (var entry in recent)
            {
                yield return entry;
            }

            await foreach (var entry in live.Reader.ReadAllAsync(ct))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (chat)
            {
                chat.Subscribers.Remove(live);
            }
        }
    }

    private sealed class Chat
    {
        public Queue<DevEntry> History { get; } = new();

        public List<Channel<DevEntry>> Subscribers { get; } = [];
    }
}
