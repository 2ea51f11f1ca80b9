namespace BotEngine.Cluster;

/// <summary>
/// The share rule for a platform limit that all nodes send against (per bot, page or channel, not per process): each
/// node gets an equal part, never less than a floor its buckets need to hold a whole token. Above that many nodes
/// they exceed the platform's limit together; the platform answers 429, which is retried after its backoff.
/// </summary>
internal static class RateShare
{
    /// <summary>One node's share of <paramref name="limit"/> when <paramref name="nodes"/> send to it: limit ÷ nodes
    /// (rounded down), at least <paramref name="floor"/> (or the limit itself if that is smaller).</summary>
    public static int Of(int limit, int nodes, int floor) => Math.Max(Math.Min(limit, floor), limit / Math.Max(1, nodes));
}
