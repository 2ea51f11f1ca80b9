using BotEngine.Outbound.Outage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotEngine.Operations;

/// <summary>
/// Degraded while sending to a platform is paused (its API unreachable, LINE's monthly quota used up): the engine
/// still takes webhooks and will send later, so <c>/healthz</c> stays 200 and names the platform and the cause.
/// </summary>
internal sealed class PlatformHealthCheck(IEnumerable<IPlatformStatus> platforms) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var paused = platforms.SelectMany(p => p.Notices()).Where(n => n.Degraded)
            .Select(n => n.Since is { } since ? $"{n.Text} since {since:yyyy-MM-dd HH:mm:ss} UTC" : n.Text).ToList();
        return Task.FromResult(paused.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(string.Join("; ", paused)));
    }
}
