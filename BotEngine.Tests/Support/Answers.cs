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

    [GeneratedRegex("#[0-9]+")]
    private static partial Regex CounterPattern();
}
