using BotEngine.Channels.Line.Delivery;

namespace BotEngine.Tests.Channels.Line;

public sealed class RetryKeysTests
{
    private static readonly DateTimeOffset FirstAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // LINE keeps a key 24 h; the engine stops reusing it after 23 h, so a resend never lands outside LINE's window.
    [Theory]
    [InlineData(0, false)]
    [InlineData(23 * 3_600_000L, false)]
    [InlineData(23 * 3_600_000L + 1, true)]
    [InlineData(24 * 3_600_000L, true)]
    public void A_key_expires_just_after_23_hours(long elapsedMs, bool expired) =>
        Assert.Equal(expired, RetryKeys.Expired(FirstAt.ToUnixTimeMilliseconds(), FirstAt.AddMilliseconds(elapsedMs)));

    [Fact]
    public void Part_keys_are_stable_and_distinct()
    {
        var stored = Guid.NewGuid().ToString();
        Assert.Equal(Guid.Parse(stored), RetryKeys.ForPart(stored, 0));
        Assert.Equal(RetryKeys.ForPart(stored, 1), RetryKeys.ForPart(stored, 1));
        Assert.NotEqual(RetryKeys.ForPart(stored, 1), RetryKeys.ForPart(stored, 2));
    }
}
