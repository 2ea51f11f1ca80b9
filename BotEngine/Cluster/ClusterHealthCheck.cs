using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotEngine.Cluster;

/// <summary>
/// <c>/healthz</c> shows the membership: "cluster: 3 up (a:2552 leader, b:2552, c:2552), self a:2552, rate share 1/3
/// (line 666/s, telegram 10/s, messenger 100/s)": the part of each platform rate limit this node sends
/// (<see cref="ClusterNodes"/>), and each channel's share as its <see cref="IRateShareView"/> reports it. Degraded (still
/// 200) while this node is not Up or a member is unreachable; never Unhealthy for membership alone: webhooks are still
/// taken, and a load balancer dropping every node because one peer is unreachable would turn one failure into three.
/// </summary>
internal sealed class ClusterHealthCheck(
    IServiceProvider services, IOptions<ClusterModeOptions> options, ClusterNodes nodes, IEnumerable<IRateShareView> shares)
    : IHealthCheck
{
    /// <summary>Tag of entries whose description <c>/healthz</c> shows also when healthy.</summary>
    public const string AlwaysShown = "always-shown";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return Task.FromResult(HealthCheckResult.Healthy());
        var cluster = Akka.Cluster.Cluster.Get(services.GetRequiredService<ActorSystem>());
        var state = cluster.State;
        var up = state.Members.Where(m => m.Status == MemberStatus.Up).ToList();
        var leader = state.Leader;
        var names = string.Join(", ", up.Select(m => Name(m.Address) + (m.Address == leader ? " leader" : "")));
        var text = $"cluster: {up.Count} up ({names}), self {Name(cluster.SelfAddress)}, {RateShares(nodes.Up, shares)}";
        if (state.Unreachable.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"{text}; {state.Unreachable.Count} unreachable: {string.Join(", ", state.Unreachable.Select(m => Name(m.Address)))}"));
        }

        return Task.FromResult(cluster.SelfMember.Status == MemberStatus.Up
            ? HealthCheckResult.Healthy(text)
            : HealthCheckResult.Degraded($"{text}; self is {cluster.SelfMember.Status}"));
    }

    /// <summary>"rate share 1/3 (line 666/s, telegram 10/s)": the channels in their registration order; just
    /// "rate share 1/3" when none is registered.</summary>
    public static string RateShares(int nodes, IEnumerable<IRateShareView> shares)
    {
        var each = string.Join(", ", shares.Select(share => $"{share.Name} {share.PerSecond}/s"));
        return each.Length == 0 ? $"rate share 1/{nodes}" : $"rate share 1/{nodes} ({each})";
    }

    private static string Name(Address address) => $"{address.Host}:{address.Port}";
}
