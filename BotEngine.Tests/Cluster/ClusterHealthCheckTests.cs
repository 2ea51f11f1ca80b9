using BotEngine.Channels.Line;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Telegram;
using BotEngine.Cluster;

namespace BotEngine.Tests.Cluster;

/// <summary>The cluster entry on <c>/healthz</c> lists each registered channel's share, following the membership.</summary>
public sealed class ClusterHealthCheckTests
{
    [Fact]
    public void The_rate_share_lists_each_channels_share_as_the_membership_changes()
    {
        var nodes = new ClusterNodes(3);
        using var line = new LineRateLimits(2_000, nodes);
        using var telegram = new TelegramRateLimits(nodes);
        using var messenger = new MessengerRateLimits(nodes);
        IRateShareView[] shares = [line, telegram, messenger];

        Assert.Equal("rate share 1/3 (line 666/s, telegram 10/s, messenger 100/s)", ClusterHealthCheck.RateShares(nodes.Up, shares));
        nodes.Set(2);
        Assert.Equal("rate share 1/2 (line 1000/s, telegram 15/s, messenger 150/s)", ClusterHealthCheck.RateShares(nodes.Up, shares));
    }

    [Fact]
    public void Without_registered_channels_only_the_fraction_is_shown() =>
        Assert.Equal("rate share 1/4", ClusterHealthCheck.RateShares(4, []));
}
