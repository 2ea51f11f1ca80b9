using BotEngine.Operations;
using Prometheus;

namespace BotEngine.Outbound.Outage;

/// <summary>
/// Every platform's <see cref="PlatformCircuit"/>, by channel name; <c>botengine_platform_unreachable{channel}</c> is
/// 1 while a platform's sending is paused.
/// </summary>
internal sealed class PlatformCircuits(TimeProvider clock, EngineMetrics metrics, ILoggerFactory loggers) : IPlatformStatus
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PlatformCircuit> _circuits = new(StringComparer.Ordinal);
    private readonly Gauge _unreachable = Metrics.WithCustomRegistry(metrics.Registry).CreateGauge(
        "botengine_platform_unreachable", "1 while sending to a platform is paused because its API is unreachable.",
        "channel");

    public PlatformCircuit For(string channel)
    {
        lock (_gate)
        {
            if (_circuits.TryGetValue(channel, out var circuit)) return circuit;
            circuit = new PlatformCircuit(channel, clock, loggers.CreateLogger<PlatformCircuit>());
            _unreachable.WithLabels(channel).Set(0);
            circuit.ReachableChanged += reachable => _unreachable.WithLabels(channel).Set(reachable ? 0 : 1);
            _circuits[channel] = circuit;
            return circuit;
        }
    }

    public IReadOnlyList<PlatformCircuit> All
    {
        get
        {
            lock (_gate) return [.. _circuits.Values];
        }
    }

    public PlatformCircuit? Find(string channel)
    {
        lock (_gate) return _circuits.GetValueOrDefault(channel);
    }

    public IEnumerable<PlatformNotice> Notices()
    {
        PlatformCircuit[] all;
        lock (_gate) all = [.. _circuits.Values];
        return all.Select(c => c.Notice()).OfType<PlatformNotice>().ToList();
    }
}
