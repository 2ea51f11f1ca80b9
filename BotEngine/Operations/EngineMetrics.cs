using System.Collections.Concurrent;
using BotEngine.Queue;
using Prometheus;

namespace BotEngine.Operations;

/// <summary>
/// The contract's metrics, on a registry of this engine instance (not prometheus-net's static default), so two
/// hosts in one process (tests) keep their own figures.
/// </summary>
internal sealed class EngineMetrics
{
    private readonly Histogram _processing;
    // Every webhook counts once: its labelled child is looked up in prometheus-net once, not per request.
    private readonly ConcurrentDictionary<(string Channel, string Result), Counter.Child> _webhooks = new();

    public EngineMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        var buckets = Histogram.ExponentialBuckets(0.005, 2, 14);
        Webhooks = factory.CreateCounter("botengine_webhooks_total", "Webhook requests by channel and result.",
            "channel", "result");
        Events = factory.CreateCounter("botengine_events_total", "Events by channel and what became of them.",
            "channel", "result");
        OutboundCalls = factory.CreateCounter("botengine_outbound_calls_total",
            "Platform API calls by endpoint and status.", "endpoint", "status");
        _processing = factory.CreateHistogram("botengine_processing_seconds",
            "From webhook receipt to the answer accepted by the platform.", new HistogramConfiguration
            {
                Buckets = buckets,
            });
        ProcessingBuckets = new ProcessingBuckets(buckets);
        QueueDepth = factory.CreateGauge("botengine_queue_depth", "Events in the queue by state.", "state");
        DeadLetters = factory.CreateGauge("botengine_dead_letters", "Events in the dead-letter state.");
        UncertainDeliveries = factory.CreateCounter("botengine_uncertain_deliveries_total",
            "Answers counted as delivered although only an unanswered attempt may have delivered them.", "channel");
    }

    public CollectorRegistry Registry { get; }

    public Gauge QueueDepth { get; }

    public Gauge DeadLetters { get; }

    /// <summary>Read by the dashboard's sampler; written only through the methods below.</summary>
    public Counter Webhooks { get; }

    public Counter Events { get; }

    public Counter OutboundCalls { get; }

    public ProcessingBuckets ProcessingBuckets { get; }

    public Counter UncertainDeliveries { get; }

    public void Uncertain(string channel) => UncertainDeliveries.WithLabels(channel).Inc();

    public void Webhook(string channel, string result) =>
        _webhooks.GetOrAdd((channel, result), static (key, counter) => counter.WithLabels(key.Channel, key.Result), Webhooks).Inc();

    public void Event(string channel, string result) => Events.WithLabels(channel, result).Inc();

    public void Outbound(string endpoint, string status) => OutboundCalls.WithLabels(endpoint, status).Inc();

    public void Processed(TimeSpan receiptToAccepted)
    {
        _processing.Observe(receiptToAccepted.TotalSeconds);
        ProcessingBuckets.Observe(receiptToAccepted.TotalSeconds);
    }

    public void EventsSplit(IEnumerable<SplitCounts> split)
    {
        foreach (var counts in split)
        {
            Events.WithLabels(counts.Channel, "received").Inc(counts.Added);
            Events.WithLabels(counts.Channel, "duplicate").Inc(counts.Duplicates);
            Events.WithLabels(counts.Channel, "malformed").Inc(counts.Malformed);
            Events.WithLabels(counts.Channel, "standby").Inc(counts.Standby);
        }
    }
}
