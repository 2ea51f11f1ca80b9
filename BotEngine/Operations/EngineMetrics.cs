using BotEngine.Queue;
using Prometheus;

namespace BotEngine.Operations;

/// <summary>
/// The contract's metrics, on a registry of this engine instance (not prometheus-net's static default), so two
/// hosts in one process (tests) keep their own figures.
/// </summary>
internal sealed class EngineMetrics
{
    private readonly Counter _webhooks;
    private readonly Counter _events;
    private readonly Counter _outbound;
    private readonly Histogram _processing;

    public EngineMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _webhooks = factory.CreateCounter("botengine_webhooks_total", "Webhook requests by channel and result.",
            "channel", "result");
        _events = factory.CreateCounter("botengine_events_total", "Events by channel and what became of them.",
            "channel", "result");
        _outbound = factory.CreateCounter("botengine_outbound_calls_total", "Platform API calls by endpoint and status.",
            "endpoint", "status");
        _processing = factory.CreateHistogram("botengine_processing_seconds",
            "From webhook receipt to the answer accepted by the platform.", new HistogramConfiguration
            {
                Buckets = Histogram.ExponentialBuckets(0.005, 2, 14),
            });
        QueueDepth = factory.CreateGauge("botengine_queue_depth", "Events in the queue by state.", "state");
        DeadLetters = factory.CreateGauge("botengine_dead_letters", "Events in the dead-letter state.");
    }

    public CollectorRegistry Registry { get; }

    public Gauge QueueDepth { get; }

    public Gauge DeadLetters { get; }

    public void Webhook(string channel, string result) => _webhooks.WithLabels(channel, result).Inc();

    public void Event(string channel, string result) => _events.WithLabels(channel, result).Inc();

    public void Outbound(string endpoint, string status) => _outbound.WithLabels(endpoint, status).Inc();

    public void Processed(TimeSpan receiptToAccepted) => _processing.Observe(receiptToAccepted.TotalSeconds);

    public void EventsSplit(IEnumerable<SplitCounts> split)
    {
        foreach (var counts in split)
        {
            _events.WithLabels(counts.Channel, "received").Inc(counts.Added);
            _events.WithLabels(counts.Channel, "duplicate").Inc(counts.Duplicates);
            _events.WithLabels(counts.Channel, "malformed").Inc(counts.Malformed);
            _events.WithLabels(counts.Channel, "standby").Inc(counts.Standby);
        }
    }
}
