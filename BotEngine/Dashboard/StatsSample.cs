namespace BotEngine.Dashboard;

/// <summary>What the dashboard shows for one sample interval; rates are per second over that interval.</summary>
internal sealed record StatsSample(
    DateTimeOffset Time,
    double Seconds,
    long Pending,
    long Claimed,
    long Dead,
    double Webhooks,
    double EventsReceived,
    double EventsDone,
    double? P50Seconds,
    double? P95Seconds,
    double? P99Seconds,
    int? Conversations,
    IReadOnlyDictionary<string, OutboundRates> Outbound);

/// <summary>Calls per second to one platform endpoint: all of them, those answered 429, and those that failed
/// (5xx, timeout, no answer, rejected locally).</summary>
internal sealed record OutboundRates(double Calls, double Throttled, double Failed);
