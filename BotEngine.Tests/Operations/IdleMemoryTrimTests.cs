using BotEngine.Operations;

namespace BotEngine.Tests.Operations;

/// <summary>The heap is compacted once the engine is quiet after a burst: never during one, never without one.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long MB = 1024 * 1024;

    [Theory]
    [InlineData(300 * MB, 1 * MB, true)]    // a burst, then a quiet window
    [InlineData(300 * MB, 50 * MB, false)]  // still busy
    [InlineData(100 * MB, 1 * MB, false)]   // quiet, but no burst since the last trim
    [InlineData(0, 0, false)]               // an idle engine
    public void Trims_only_when_quiet_after_a_burst(long sinceTrim, long lastWindow, bool trim) =>
        Assert.Equal(trim, IdleMemoryTrim.ShouldTrim(sinceTrim, lastWindow));
}
