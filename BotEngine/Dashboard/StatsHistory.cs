using Microsoft.Extensions.Options;

namespace BotEngine.Dashboard;

/// <summary>The last hour of samples (a ring: the oldest goes when a new one comes), shown by the dashboard.</summary>
internal sealed class StatsHistory(IOptions<DashboardOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<StatsSample> _samples = new();
    private readonly int _capacity = options.Value.Capacity;

    public void Add(StatsSample sample)
    {
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > _capacity) _samples.Dequeue();
        }
    }

    public IReadOnlyList<StatsSample> Read()
    {
        lock (_gate)
        {
            return _samples.ToArray();
        }
    }
}
