using BotEngine.Channels.Line;
using BotEngine.Cluster;

namespace BotEngine.Tests.Channels.Line;

public sealed class LineRateLimitsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Burst_over_the_bucket_waits_in_the_queue_instead_of_failing()
    {
        using var limits = new LineRateLimits();
        var burst = LineRateLimits.Bucket(2_000).TokenLimit * 3;

        var leases = Enumerable.Range(0, burst)
            .Select(_ => limits.AcquireAsync(Request("reply"), default).AsTask()).ToArray();
        var waiting = leases.Count(l => !l.IsCompleted);
        var all = await Task.WhenAll(leases).WaitAsync(Deadline);

        Assert.True(waiting > 0, "a burst three buckets deep should queue some requests");
        Assert.All(all, lease => Assert.True(lease.IsAcquired));
        foreach (var lease in all) lease.Dispose();
    }

    [Fact]
    public async Task Each_endpoint_has_its_own_bucket()
    {
        using var limits = new LineRateLimits();
        var replies = Enumerable.Range(0, LineRateLimits.Bucket(2_000).TokenLimit * 3)
            .Select(_ => limits.AcquireAsync(Request("reply"), default).AsTask()).ToArray();

        var push = limits.AcquireAsync(Request("push"), default);

        Assert.True(push.IsCompletedSuccessfully, "push must not wait behind queued replies");
        (await push).Dispose();
        foreach (var lease in await Task.WhenAll(replies).WaitAsync(Deadline)) lease.Dispose();
    }

    [Fact]
    public async Task A_higher_rate_grants_a_burst_the_default_rate_would_queue()
    {
        using var defaults = new LineRateLimits();
        using var raised = new LineRateLimits(20_000);
        var burst = LineRateLimits.Bucket(2_000).TokenLimit * 3;

        var queued = Enumerable.Range(0, burst).Select(_ => defaults.AcquireAsync(Request("reply"), default).AsTask()).ToArray();
        var granted = Enumerable.Range(0, burst).Select(_ => raised.AcquireAsync(Request("reply"), default).AsTask()).ToArray();

        Assert.Contains(queued, lease => !lease.IsCompleted);
        Assert.All(granted, lease => Assert.True(lease.IsCompletedSuccessfully && lease.Result.IsAcquired));
        foreach (var lease in await Task.WhenAll(queued.Concat(granted)).WaitAsync(Deadline)) lease.Dispose();
    }

    [Theory]
    [InlineData(2_000, 1, 2_000)]
    [InlineData(2_000, 0, 2_000)]
    [InlineData(2_000, 2, 1_000)]
    [InlineData(2_000, 3, 666)]
    [InlineData(2_000, 8, 250)]
    [InlineData(2_000, 20, 250)] // the floor: a multicast bucket needs a whole token
    [InlineData(20_000, 3, 6_666)]
    public void Each_node_gets_an_equal_share_of_the_limit(int limit, int nodes, int share) =>
        Assert.Equal(share, LineRateLimits.Share(limit, nodes));

    [Fact]
    public async Task The_share_follows_the_cluster_and_a_change_refuses_no_queued_request()
    {
        var nodes = new ClusterNodes(3);
        using var limits = new LineRateLimits(2_000, nodes);
        Assert.Equal(666, limits.PerSecond);
        nodes.Set(1);
        Assert.Equal(2_000, limits.PerSecond);
        var queued = Enumerable.Range(0, LineRateLimits.Bucket(2_000).TokenLimit * 3)
            .Select(_ => limits.AcquireAsync(Request("reply"), default).AsTask()).ToArray();
        Assert.Contains(queued, lease => !lease.IsCompleted);

        nodes.Set(2); // a node joined: the waiting requests still go, new ones get the half-size bucket
        Assert.Equal(1_000, limits.PerSecond);
        var burst = Enumerable.Range(0, LineRateLimits.Bucket(2_000).TokenLimit)
            .Select(_ => limits.AcquireAsync(Request("push"), default).AsTask()).ToArray();
        Assert.Contains(burst, lease => !lease.IsCompleted); // 100 over a 50-token bucket
        nodes.Set(0);
        Assert.Equal(2_000, limits.PerSecond);

        var all = await Task.WhenAll(queued.Concat(burst)).WaitAsync(Deadline);
        Assert.All(all, lease => Assert.True(lease.IsAcquired));
        foreach (var lease in all) lease.Dispose();
    }

    private static HttpRequestMessage Request(string endpoint) =>
        new(HttpMethod.Post, new Uri($"https://api.line.me/v2/bot/message/{endpoint}"));
}
