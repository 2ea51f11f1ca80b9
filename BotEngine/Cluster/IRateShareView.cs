namespace BotEngine.Cluster;

/// <summary>
/// A platform limit this node sends its share of, as <c>/healthz</c>'s cluster entry lists it ("line 666/s"). Each
/// channel registers its own (its rate-limit class), so the cluster entry lists every channel without naming one.
/// </summary>
internal interface IRateShareView
{
    /// <summary>The channel's stored name (e.g. the one its webhook path and metric labels carry).</summary>
    string Name { get; }

    /// <summary>This node's share of the limit, per second.</summary>
    int PerSecond { get; }
}
