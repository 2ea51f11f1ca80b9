namespace BotEngine.Queue;

/// <summary>Exponential backoff with full jitter: attempt 1 waits about the base delay, doubling up to the cap.</summary>
internal static class Backoff
{
    public static TimeSpan For(long attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        // Half fixed, half random: never much shorter than the step (so 1 s means about 1 s) yet spread out so
        // many lanes throttled together do not come back together.
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * random);
    }
}
