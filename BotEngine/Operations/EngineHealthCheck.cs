using BotEngine.Ingress;
using BotEngine.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotEngine.Operations;

/// <summary>Healthy when webhooks are taken and stored, and the workers run.</summary>
internal sealed class EngineHealthCheck(SqliteWriter writer, IngressGate gate, IEnumerable<IHostedService> services)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (!gate.IsOpen)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("stopping"));
        }

        if (!writer.Healthy)
        {
            var reason = writer.FailureKind == StorageFailure.Full ? "disk full" : "queue writes fail";
            return Task.FromResult(HealthCheckResult.Unhealthy($"{reason}: {writer.LastError ?? "writer stopped"}"));
        }

        var stopped = services.Select(s => s is IStartedLater later ? later.Worker : s).OfType<BackgroundService>().Where(s => s.ExecuteTask is { IsCompleted: true })
            .Select(s => s.GetType().Name).ToList();
        return Task.FromResult(stopped.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("stopped: " + string.Join(", ", stopped)));
    }
}
