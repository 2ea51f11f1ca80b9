namespace BotEngine.Outbound;

/// <summary>What a platform said to one send request. Senders return outcomes instead of throwing.</summary>
public abstract record SendOutcome
{
    /// <summary>The platform took the messages (2xx, or 409 for a retry key it has already seen).</summary>
    public sealed record Accepted : SendOutcome;

    /// <summary>LINE refused the reply token (used, expired or unknown).</summary>
    public sealed record InvalidReplyToken(string Error) : SendOutcome;

    /// <summary>Throttled or failed on the platform's side (429, 5xx): try again after <paramref name="After"/> if given.</summary>
    public sealed record RetryLater(TimeSpan? After, string Error) : SendOutcome;

    /// <summary>No answer (timeout, connection reset after sending): the platform may or may not have taken it.</summary>
    public sealed record Unknown(string Error) : SendOutcome;

    /// <summary>Refused for good (4xx other than 409/429): retrying cannot help.</summary>
    public sealed record Rejected(string Error) : SendOutcome;

    public static SendOutcome Ok { get; } = new Accepted();
}
