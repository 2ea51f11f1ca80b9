using BotEngine.Channels.Messenger;
using BotEngine.Cluster;

namespace BotEngine.Tests.Channels.Messenger;

public sealed class MessengerRateLimitsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 300)]
    [InlineData(0, 300)]
    [InlineData(2, 150)]
    [InlineData(3, 100)]
    [InlineData(7, 42)]
    [InlineData(10, 30)]
    [InlineData(20, 30)] // the floor: a bucket that refills a whole token per 50 ms
    public void Each_node_gets_an_equal_share_of_the_pages_limit(int nodes, int share) =>
        Assert.Equal(share, MessengerRateLimits.Share(nodes));

    [Fact]
    public void The_floor_still_makes_a_bucket_of_whole_tokens()
    {
        var bucket = MessengerRateLimits.Bucket(MessengerRateLimits.MinimumShare);

        Assert.Equal((1, 1), (bucket.TokenLimit, bucket.TokensPerPeriod));
    }

    [Fact]
    public async Task The_page_share_follows_the_cluster_and_a_change_refuses_no_queued_call()
    {
        var nodes = new ClusterNodes(3);
        using var limits = new MessengerRateLimits(nodes);
        Assert.Equal(100, limits.PerSecond);
        var whole = MessengerRateLimits.Bucket(300).TokenLimit;
        var third = Calls(limits, whole); // 15 calls on a third's 5-token bucket
        Assert.Contains(third, lease => !lease.IsCompleted);

        nodes.Set(1); // the others left: new calls get the whole bucket, the waiting ones still go
        Assert.Equal(300, limits.PerSecond);
        var queued = Calls(limits, whole * 3);
        Assert.Contains(queued, lease => !lease.IsCompleted);

        nodes.Set(2);
        Assert.Equal(150, limits.PerSecond);
        var half = Calls(limits, whole * 2);
        Assert.Contains(half, lease => !lease.IsCompleted);

        var all = await Task.WhenAll(third.Concat(queued).Concat(half)).WaitAsync(Deadline);
        Assert.All(all, lease => Assert.True(lease.IsAcquired));
        foreach (var lease in all) lease.Dispose();
    }

    [Fact]
    public async Task Without_a_cluster_the_node_sends_the_pages_whole_limit()
    {
        using var limits = new MessengerRateLimits();

        var burst = Calls(limits, MessengerRateLimits.Bucket(300).TokenLimit);

        Assert.Equal(300, limits.PerSecond);
        Assert.All(burst, lease => Assert.True(lease.IsCompletedSuccessfully));
        foreach (var lease in await Task.WhenAll(burst)) Assert.True(lease.IsAcquired);
    }

    private static Task<System.Threading.RateLimiting.RateLimitLease>[] Calls(MessengerRateLimits limits, int count) =>
        Enumerable.Range(0, count).Select(_ => limits.AcquireAsync(
            new HttpRequestMessage(HttpMethod.Post, "https://graph.facebook.com/v21.0/me/messages"), default).AsTask()).ToArray();
}
