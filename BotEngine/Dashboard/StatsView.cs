namespace BotEngine.Dashboard;

/// <summary>
/// <c>GET /admin/api/stats</c>: the history as columns, one array per series, aligned with <see cref="Time"/> (Unix
/// seconds, the end of each sample; <see cref="Seconds"/> is its length), which is the shape charting libraries take.
/// Rates per second, latencies in milliseconds, null where nothing was measured.
/// </summary>
internal sealed record StatsView(
    double IntervalSeconds,
    double[] Time,
    double[] Seconds,
    long[] Pending,
    long[] Claimed,
    long[] Dead,
    double[] Webhooks,
    double[] EventsReceived,
    double[] EventsDone,
    double?[] P50Ms,
    double?[] P95Ms,
    double?[] P99Ms,
    int?[] Conversations,
    IReadOnlyList<OutboundSeries> Outbound)
{
    /// <summary>Conversations whose state cannot be read right now (not a series: the count at the time of the request).</summary>
    public int UnreadableConversations { get; init; }

    public static StatsView From(IReadOnlyList<StatsSample> samples, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(samples);
        static double? Ms(double? seconds) => seconds is { } s ? Math.Round(s * 1000, 1) : null;
        static double Round(double rate) => Math.Round(rate, 3);

        var endpoints = samples.SelectMany(s => s.Outbound.Keys).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var outbound = endpoints.Select(endpoint =>
        {
            var rates = samples.Select(s => s.Outbound.GetValueOrDefault(endpoint)).ToArray();
            return new OutboundSeries(endpoint,
                [.. rates.Select(r => Round(r?.Calls ?? 0))],
                [.. rates.Select(r => Round(r?.Throttled ?? 0))],
                [.. rates.Select(r => Round(r?.Failed ?? 0))]);
        }).ToList();

        return new StatsView(
            interval.TotalSeconds,
            [.. samples.Select(s => s.Time.ToUnixTimeMilliseconds() / 1000.0)],
            [.. samples.Select(s => Math.Round(s.Seconds, 3))],
            [.. samples.Select(s => s.Pending)],
            [.. samples.Select(s => s.Claimed)],
            [.. samples.Select(s => s.Dead)],
            [.. samples.Select(s => Round(s.Webhooks))],
            [.. samples.Select(s => Round(s.EventsReceived))],
            [.. samples.Select(s => Round(s.EventsDone))],
            [.. samples.Select(s => Ms(s.P50Seconds))],
            [.. samples.Select(s => Ms(s.P95Seconds))],
            [.. samples.Select(s => Ms(s.P99Seconds))],
            [.. samples.Select(s => s.Conversations)],
            outbound);
    }
}

/// <summary>Calls, 429s and failures per second to one endpoint (<c>reply</c>, <c>push</c>, ...).</summary>
internal sealed record OutboundSeries(string Endpoint, double[] Calls, double[] Throttled, double[] Failed);
