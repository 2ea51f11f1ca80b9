using BotEngine.Queue;

namespace BotEngine.Tests.Queue;

public sealed class BackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(1, 500, 1000)]
    [InlineData(2, 1000, 2000)]
    [InlineData(4, 4000, 8000)]
    [InlineData(12, 30000, 60000)]
    public void Doubles_from_about_a_second_up_to_a_minute(int attempt, double minMs, double maxMs)
    {
        Assert.Equal(minMs, Backoff.For(attempt, Second, Minute, 0).TotalMilliseconds);
        Assert.Equal(maxMs, Backoff.For(attempt, Second, Minute, 1).TotalMilliseconds);
    }

    [Fact]
    public void Jitter_spreads_lanes_that_failed_together()
    {
        var waits = Enumerable.Range(0, 10).Select(i => Backoff.For(3, Second, Minute, i / 10.0)).Distinct();

        Assert.Equal(10, waits.Count());
    }
}
