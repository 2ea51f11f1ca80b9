using System.Collections.Concurrent;
using BotEngine.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace BotEngine.Conversations;

/// <summary>
/// Conversations whose persisted state could not be read since start, until each is reset: written by the router,
/// read by <c>/healthz</c> (Degraded with the count), <c>/metrics</c> (<c>botengine_replay_failures_total</c>,
/// every failed replay, also those the store failed and a later replay may pass) and the dashboard.
/// </summary>
internal sealed class ReplayFailures(EngineMetrics metrics) : IHealthCheck
{
    private readonly ConcurrentDictionary<ConversationKey, string> _unreadable = new();
    private readonly Counter _total = Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(
        "botengine_replay_failures_total", "Conversation replays that failed (state that cannot be read).");

    public int Unreadable => _unreadable.Count;

    /// <param name="permanent">The rows cannot be read (until reset); else a store failure the next replay may not meet.</param>
    public void Failed(ConversationKey key, string reason, bool permanent)
    {
        if (permanent) _unreadable[key] = reason;
        _total.Inc();
    }

    public void Reset(ConversationKey key) => _unreadable.TryRemove(key, out _);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var unreadable = _unreadable.ToArray();
        return Task.FromResult(unreadable.Length == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(
                $"{unreadable.Length} conversation(s) cannot be read, e.g. {unreadable[0].Key}: {unreadable[0].Value} " +
                "(POST /admin/conversations/{key}/reset)"));
    }
}
