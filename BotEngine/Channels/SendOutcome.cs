namespace BotEngine.Channels;

/// <summary>
/// What a platform said to one send request, or why it never heard it. Senders return outcomes instead of throwing.
/// The split that matters for never sending twice: <see cref="NotSent"/> (the request never left, so nothing can have
/// arrived) against <see cref="MaybeDelivered"/> (it left, and no answer says what became of it).
/// </summary>
public abstract record SendOutcome
{
    /// <summary>The platform took the messages (2xx, or 409 for a retry key it has already seen).</summary>
    public sealed record Accepted : SendOutcome;

    /// <summary>LINE refused the reply token (used, expired or unknown).</summary>
    public sealed record InvalidReplyToken(string Error) : SendOutcome;

    /// <summary>Throttled or failed on the platform's side (429, 5xx): try again after <paramref name="After"/> if given.</summary>
    public sealed record RetryLater(TimeSpan? After, string Error) : SendOutcome;

    /// <summary>The platform's monthly message quota is used up (LINE: 429 "You have reached your monthly limit.").</summary>
    public sealed record QuotaExhausted(string Error) : SendOutcome;

    /// <summary>
    /// The request never left: connection refused, DNS, TLS handshake, a timeout before the body was written, the
    /// platform's circuit open (then <paramref name="Until"/> says when a probe may go), the local rate limiter full.
    /// Nothing can have been delivered; the attempt did not happen.
    /// </summary>
    public sealed record NotSent(string Error, DateTimeOffset? Until = null) : SendOutcome;

    /// <summary>The request was written, then no answer came (timeout, connection cut): it may have been delivered.</summary>
    public sealed record MaybeDelivered(string Error) : SendOutcome;

    /// <summary>Refused for good (4xx other than 409/429): retrying cannot help. <paramref name="Property"/>: what the
    /// platform named as wrong (LINE's first error detail, like <c>to[3]</c> or <c>messages[0].text</c>), if it did.</summary>
    public sealed record Rejected(string Error, string? Property = null) : SendOutcome;

    public static SendOutcome Ok { get; } = new Accepted();
}
