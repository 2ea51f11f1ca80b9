using BotEngine.Channels.Telegram;

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
        var burst = TelegramRateLimits.AllChats.TokenLimit * 8;

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

    private static HttpRequestMessage Send(string chat)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://api.telegram.org/bot1:x/sendMessage");
        request.Options.Set(TelegramRateLimits.ChatKey, chat);
        return request;
    }
}
