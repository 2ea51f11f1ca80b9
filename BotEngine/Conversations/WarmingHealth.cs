using BotEngine.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotEngine.Conversations;

/// <summary>
/// <c>/healthz</c> while the journals and snapshot stores start after the server's first answer
/// (<see cref="StorageWarmup"/>): 200 means webhooks are committed (the queue is ready), and
/// <c>Healthy; conversations: warming up</c> says the conversations' storage is still starting. Their own checks are
/// held back until then: asked earlier, each waited for its plugin's start (up to 430 ms of CPU on this 2-core box).
/// </summary>
internal static class WarmingHealth
{
    public const string Name = "conversations-warmup";
    public const string Warming = "conversations: warming up";

    public static IServiceCollection AddWarmingHealth(this IServiceCollection services, string[] persistenceTags)
    {
        services.AddHealthChecks().AddCheck<WarmingCheck>(Name, tags: [ClusterHealthCheck.AlwaysShown]);
        // After Akka.Hosting added the journal and snapshot-store checks (they are configured with the ActorSystem).
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => persistenceTags.All(r.Tags.Contains)))
            {
                var factory = registration.Factory;
                registration.Factory = sp => new Gate(factory(sp), sp.GetRequiredService<StorageWarmup>());
            }
        });
        return services;
    }

    private sealed class WarmingCheck(StorageWarmup warmup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(warmup.Warmed.IsCompleted ? HealthCheckResult.Healthy() : HealthCheckResult.Healthy(Warming));
    }

    private sealed class Gate(IHealthCheck check, StorageWarmup warmup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            warmup.Warmed.IsCompleted
                ? check.CheckHealthAsync(context, cancellationToken)
                : Task.FromResult(HealthCheckResult.Healthy());
    }
}
