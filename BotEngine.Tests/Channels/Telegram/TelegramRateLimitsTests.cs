using BotEngine.Channels.Telegram;
using BotEngine.Cluster;

namespace BotEngine.Tests.Channels.Telegram;

public sealed class TelegramRateLimitsTests
{
    [Fact]
    public async Task A_chat_gets_its_burst_then_waits_while_another_chat_goes_at_once()
    {
        using var limits = new TelegramRateLimits();
        var burst = TelegramRateLimits.PrivateChat.TokenLimit;

        var first = Enumerable.Range(0, burst).Select(_ => limits.AcquireAsync(Send("42"), default)).ToList();
        // One message a second: a queue this deep cannot have been served within a test's lifetime.
        var more = Enumerable.Range(0, 6).Select(_ => limits.AcquireAsync(Send("42"), default)).ToList();
        var other = limits.AcquireAsync(Send("43"), default);

        Assert.All(first, lease => Assert.True(lease.IsCompletedSuccessfully));
        Assert.Contains(more, lease => !lease.IsCompleted);
        Assert.True(other.IsCompletedSuccessfully, "another chat must not wait behind this one");
        Assert.True((await other).IsAcquired);
    }

    [Fact]
    public void Groups_negative_ids_get_twenty_a_minute()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), TelegramRateLimits.GroupChat.ReplenishmentPeriod);
        Assert.Equal(1, TelegramRateLimits.GroupChat.TokensPerPeriod);
        using var limits = new TelegramRateLimits();

        var leases = Enumerable.Range(0, 10).Select(_ => limits.AcquireAsync(Send("-1001234"), default)).ToList();

        Assert.Equal(TelegramRateLimits.GroupChat.TokenLimit, leases.Count(l => l.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task All_chats_together_stay_under_the_bots_limit_waiting_instead_of_failing()
    {
        using var limits = new TelegramRateLimits();
        var burst = TelegramRateLimits.AllChats(TelegramRateLimits.AllChatsPerSecond).TokenLimit * 8;

        var leases = Enumerable.Range(0, burst).Select(i => limits.AcquireAsync(Send($"{1000 + i}"), default).AsTask()).ToArray();
        var waiting = leases.Count(l => !l.IsCompleted);
        var all = await Task.WhenAll(leases).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(waiting > 0, "a burst eight buckets deep should queue some messages");
        Assert.All(all, lease => Assert.True(lease.IsAcquired));
        foreach (var lease in all) lease.Dispose();
    }

    [Fact]
    public async Task Calls_without_a_chat_are_not_limited()
    {
        using var limits = new TelegramRateLimits();

        var leases = Enumerable.Range(0, 100).Select(_ => limits.AcquireAsync(
            new HttpRequestMessage(HttpMethod.Post, "https://api.telegram.org/bot1:x/answerCallbackQuery"), default)).ToList();

        Assert.All(leases, lease => Assert.True(lease.IsCompletedSuccessfully));
        foreach (var lease in leases) Assert.True((await lease).IsAcquired);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(0, 30)]
    [InlineData(2, 15)]
    [InlineData(3, 10)]
    [InlineData(7, 4)]
    [InlineData(30, 1)]
    [InlineData(50, 1)] // the floor: one message a second still goes
    public void Each_node_gets_an_equal_share_of_the_bots_limit(int nodes, int share) =>
        Assert.Equal(share, TelegramRateLimits.Share(nodes));

    [Fact]
    public void A_share_bucket_stays_near_its_share_and_the_whole_keeps_the_bots_figures()
    {
        var whole = TelegramRateLimits.AllChats(30);
        Assert.Equal((5, 3), (whole.TokenLimit, whole.TokensPerPeriod));
        Assert.InRange(whole.ReplenishmentPeriod.TotalMilliseconds, 110, 112);
        var third = TelegramRateLimits.AllChats(10); // three nodes: 3 × (1 + 9) = 30 in a second
        Assert.Equal(1, third.TokenLimit);
        Assert.InRange(third.TokensPerPeriod / third.ReplenishmentPeriod.TotalSeconds, 8.9, 9.1);
    }

    [Fact]
    public async Task The_all_chats_share_follows_the_cluster_and_a_change_refuses_no_queued_message()
    {
        var nodes = new ClusterNodes(3);
        using var limits = new TelegramRateLimits(nodes);
        Assert.Equal(10, limits.PerSecond);
        var chat = 1000;
        var whole = TelegramRateLimits.AllChats(30).TokenLimit;
        var third = Enumerable.Range(0, whole).Select(_ => limits.AcquireAsync(Send($"{chat++}"), default).AsTask()).ToArray();
        Assert.Contains(third, lease => !lease.IsCompleted); // a burst of one: the rest wait

        nodes.Set(1); // the others left: new messages get the whole bucket, the waiting ones still go
        Assert.Equal(30, limits.PerSecond);
        var alone = Enumerable.Range(0, whole).Select(_ => limits.AcquireAsync(Send($"{chat++}"), default).AsTask()).ToArray();
        Assert.All(alone, lease => Assert.True(lease.IsCompletedSuccessfully));
        var queued = Enumerable.Range(0, whole * 2).Select(_ => limits.AcquireAsync(Send($"{chat++}"), default).AsTask()).ToArray();
        Assert.Contains(queued, lease => !lease.IsCompleted);

        nodes.Set(2);
        Assert.Equal(15, limits.PerSecond);
        var all = await Task.WhenAll(third.Concat(alone).Concat(queued)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(all, lease => Assert.True(lease.IsAcquired));
        foreach (var lease in all) lease.Dispose();
    }

    private static HttpRequestMessage Send(string chat)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://api.telegram.org/bot1:x/sendMessage");
        request.Options.Set(TelegramRateLimits.ChatKey, chat);
        return request;
    }
}
