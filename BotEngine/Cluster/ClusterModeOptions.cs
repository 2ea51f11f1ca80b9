using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine.Cluster;

/// <summary>
/// Cluster mode (section <c>BotEngine:Cluster</c>): conversations on Akka.Cluster.Sharding across engine processes that
/// share one PostgreSQL database (<c>BotEngine:Storage=Postgres</c>). Off by default: one process, the local router.
/// </summary>
public sealed class ClusterModeOptions
{
    public const string Section = "BotEngine:Cluster";

    public bool Enabled { get; set; }

    /// <summary>Address Akka.Remote binds to.</summary>
    [Required] public string Host { get; set; } = "127.0.0.1";

    /// <summary>Address other nodes use to reach this one; <see cref="Host"/> when empty.</summary>
    public string? PublicHost { get; set; }

    [Range(1, 65535)] public int Port { get; set; } = 2552;

    /// <summary><c>host:port</c> of the seed nodes, the same list in the same order on every node (the first forms a new cluster).</summary>
    public List<string> SeedNodes { get; set; } = [];

    public List<string> Roles { get; set; } = ["engine"];

    /// <summary>Number of shards; the same on every node. Changing it needs every node stopped first.</summary>
    [Range(1, 10_000)] public int Shards { get; set; } = 100;

    /// <summary>Split-brain resolver: how long membership must be stable before unreachable nodes are downed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")] public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Failure detector: heartbeat pause accepted before a node counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")] public TimeSpan HeartbeatPause { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The host name other nodes reach this one by.</summary>
    public string EffectivePublicHost => string.IsNullOrEmpty(PublicHost) ? Host : PublicHost;
}

internal sealed class ClusterModeOptionsValidator : IValidateOptions<ClusterModeOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterModeOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        if (options.SeedNodes.Count == 0) return ValidateOptionsResult.Fail("BotEngine:Cluster:SeedNodes is empty: list every node's host:port");
        var bad = options.SeedNodes.FirstOrDefault(s => s.LastIndexOf(':') is var i && (i <= 0 || !int.TryParse(s[(i + 1)..], out _)));
        if (bad is not null) return ValidateOptionsResult.Fail($"BotEngine:Cluster:SeedNodes: \"{bad}\" is not host:port");
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? "invalid"));
    }
}
