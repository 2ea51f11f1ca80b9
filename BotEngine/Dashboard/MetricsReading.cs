using BotEngine.Operations;
using BotEngine.Queue;
using Prometheus;

namespace BotEngine.Dashboard;

/// <summary>The engine's counters at one instant; two readings give the rates of a <see cref="StatsSample"/>.</summary>
internal sealed record MetricsReading(
    DateTimeOffset At,
    double Webhooks,
    double EventsReceived,
    double EventsDone,
    IReadOnlyDictionary<string, OutboundTotals> Outbound,
    long[] Latency)
{
    // Label positions in EngineMetrics: events_total{channel,result}, outbound_calls_total{endpoint,status}.
    private const int ResultLabel = 1;

    public static MetricsReading Take(EngineMetrics metrics, DateTimeOffset at) => new(
        at,
        Sum(metrics.Webhooks, _ => true),
        Sum(metrics.Events, labels => labels[ResultLabel] == "received"),
        Sum(metrics.Events, labels => labels[ResultLabel] == "done"),
        ReadOutbound(metrics.OutboundCalls),
        metrics.ProcessingBuckets.Read());

    public StatsSample Since(
        MetricsReading previous, IReadOnlyDictionary<EventState, long> depth, int? conversations, ProcessingBuckets buckets)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(buckets);
        var seconds = Math.Max((At - previous.At).TotalSeconds, 0.001);
        double Rate(double now, double before) => Math.Max(now - before, 0) / seconds;

        var latency = Latency.Select((count, i) => count - previous.Latency[i]).ToArray();
        var outbound = Outbound.ToDictionary(pair => pair.Key, pair =>
        {
            var before = previous.Outbound.GetValueOrDefault(pair.Key) ?? OutboundTotals.Zero;
            return new OutboundRates(Rate(pair.Value.Calls, before.Calls), Rate(pair.Value.Throttled, before.Throttled),
                Rate(pair.Value.Failed, before.Failed));
        }, StringComparer.Ordinal);

        return new StatsSample(
            At,
            seconds,
            depth.GetValueOrDefault(EventState.Pending),
            depth.GetValueOrDefault(EventState.Claimed),
            depth.GetValueOrDefault(EventState.Dead),
            Rate(Webhooks, previous.Webhooks),
            Rate(EventsReceived, previous.EventsReceived),
            Rate(EventsDone, previous.EventsDone),
            buckets.Quantile(latency, 0.50),
            buckets.Quantile(latency, 0.95),
            buckets.Quantile(latency, 0.99),
            conversations,
            outbound);
    }

    private static double Sum(Counter counter, Func<string[], bool> where) =>
        counter.GetAllLabelValues().Where(where).Sum(labels => counter.WithLabels(labels).Value);

    private static Dictionary<string, OutboundTotals> ReadOutbound(Counter calls)
    {
        var totals = new Dictionary<string, OutboundTotals>(StringComparer.Ordinal);
        foreach (var labels in calls.GetAllLabelValues())
        {
            var (endpoint, status) = (labels[0], labels[1]);
            var value = calls.WithLabels(labels).Value;
            var sum = totals.GetValueOrDefault(endpoint) ?? OutboundTotals.Zero;
            totals[endpoint] = new OutboundTotals(
                sum.Calls + value,
                sum.Throttled + (status == "429" ? value : 0),
                sum.Failed + (IsFailure(status) ? value : 0));
        }

        return totals;
    }

    private static bool IsFailure(string status) =>
        status is "timeout" or "error" or "rejected" || status.StartsWith('5');
}

/// <summary>Running totals of calls to one endpoint.</summary>
internal sealed record OutboundTotals(double Calls, double Throttled, double Failed)
{
    public static readonly OutboundTotals Zero = new(0, 0, 0);
}
