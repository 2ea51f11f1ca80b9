using BotEngine.Queue;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Queue;

/// <summary>The gate the pipeline asks before taking more work: open while no webhook arrives, sliced while they do.</summary>
public sealed class IngestActivityTests
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _clock = new();
    private readonly DateTimeOffset _start;

    public IngestActivityTests() => _start = _clock.GetUtcNow();

    [Fact]
    public async Task With_no_webhook_the_pipeline_goes_on_at_once()
    {
        var activity = new IngestActivity(_clock);

        var quiet = activity.WaitQuietAsync(Slice, CancellationToken.None);

        Assert.True(quiet.IsCompletedSuccessfully);
        Assert.True(await quiet);
    }

    [Fact]
    public async Task While_webhooks_keep_arriving_the_pipeline_gets_a_slice_after_each_wait()
    {
        var activity = new IngestActivity(_clock);
        activity.Begin();

        var wait = activity.WaitQuietAsync(Slice, CancellationToken.None).AsTask();
        await AdvanceUntilAsync(wait, Slice + TimeSpan.FromMilliseconds(20));

        Assert.False(await wait);
        Assert.True(_clock.GetUtcNow() - _start >= Slice, "not before the slice ran out");
    }

    [Fact]
    public async Task When_webhooks_stop_the_pipeline_goes_on_after_a_short_linger()
    {
        var activity = new IngestActivity(_clock);
        activity.Begin();
        var wait = activity.WaitQuietAsync(Slice, CancellationToken.None).AsTask();
        await AdvanceAsync(TimeSpan.FromMilliseconds(50));
        Assert.False(wait.IsCompleted);

        activity.End();
        Assert.True(activity.Busy); // a next request on the same connection may be on its way
        await AdvanceUntilAsync(wait, TimeSpan.FromMilliseconds(100));

        Assert.True(await wait);
        Assert.False(activity.Busy);
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var done = TimeSpan.Zero; done < by; done += TimeSpan.FromMilliseconds(1))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }
    }

    private async Task AdvanceUntilAsync(Task wait, TimeSpan atMost)
    {
        for (var done = TimeSpan.Zero; done < atMost && !wait.IsCompleted; done += TimeSpan.FromMilliseconds(1))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(1); // lets the continuation of the delay that just fired run
        }

        Assert.True(wait.IsCompleted, $"the wait ended within {atMost}");
    }
}
