using System.Text.RegularExpressions;

namespace BotEngine.Tests.Support;

/// <summary>Reading what the demo bot's <c>count</c> answers tell about loss, duplication and order.</summary>
public static partial class Answers
{
    /// <summary>The <c>#N</c> of a count answer.</summary>
    public static string Counter(string text) => CounterPattern().Match(text).Value;

    /// <summary>A push names its user; a reply is the user's whose event carried that reply token.</summary>
    public static bool IsTo(this AcceptedMessage answer, string user, QueueFile queue) =>
        answer.To == user || (answer.ReplyToken is { } token && queue.Scalar(
            $"SELECT COUNT(*) FROM events WHERE reply_token = '{token}' AND recipient = '{user}'") == 1);

    /// <summary>Every user got #1 … #<paramref name="each"/> exactly once, in that order, and nothing else was sent.</summary>
    public static void AssertEachUserCountedOnceInOrder(
        IReadOnlyList<AcceptedMessage> answers, IReadOnlyList<string> users, int each, QueueFile queue)
    {
        Assert.Equal(users.Count * each, answers.Count);
        foreach (var user in users)
        {
            Assert.Equal(Enumerable.Range(1, each).Select(n => $"#{n}"),
                answers.Where(a => a.IsTo(user, queue)).Select(a => Counter(a.Text)));
        }
    }

    /// <summary>
    /// A body in which each user says <c>count</c> once, with a reply token that names its user and round, so a reply
    /// is attributed without reading the queue (<see cref="CountsOf"/>): for engines whose queue is not a local file.
    /// </summary>
    public static byte[] CountRound(IEnumerable<string> users, int round) =>
        LineFixtures.Body(users.Select(u => LineFixtures.TextEvent(u, "count", replyToken: $"rt-{u}-{round}")).ToArray());

    /// <summary>The counters a user got, in order: pushes name the user, replies carry <see cref="CountRound"/>'s token.</summary>
    public static List<string> CountsOf(IEnumerable<AcceptedMessage> answers, string user) => answers
        .Where(a => a.To == user || (a.ReplyToken?.StartsWith($"rt-{user}-", StringComparison.Ordinal) ?? false))
        .Select(a => Counter(a.Text)).ToList();

    [GeneratedRegex("#[0-9]+")]
    private static partial Regex CounterPattern();
}
