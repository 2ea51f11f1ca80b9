using BotEngine.Storage;
using Prometheus;

namespace BotEngine.Operations;

/// <summary>
/// <c>botengine_storage_errors_total{kind}</c> (failed queue commits: full, io, corrupt, cantopen, other) and
/// <c>botengine_storage_full</c> (1 while queue writes fail for lack of space), read from the writer at each scrape.
/// </summary>
internal sealed class StorageMetrics(SqliteWriter writer, EngineMetrics metrics)
{
    private readonly Counter _errors = Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(
        "botengine_storage_errors_total", "Failed commits of the queue file by kind.", "kind");

    private readonly Gauge _full = Metrics.WithCustomRegistry(metrics.Registry).CreateGauge(
        "botengine_storage_full", "1 while writes to the queue file fail because the disk (or max_page_count) is full.");

    public void Register() => metrics.Registry.AddBeforeCollectCallback(Collect);

    private void Collect()
    {
        foreach (var (kind, count) in writer.Failures.Snapshot())
        {
            _errors.WithLabels(kind).IncTo(count);
        }

        _full.Set(writer.FailureKind == StorageFailure.Full ? 1 : 0);
    }
}
