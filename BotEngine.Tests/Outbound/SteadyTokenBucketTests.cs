using BotEngine.Channels.Line;
using BotEngine.Outbound;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Outbound;

/// <summary>LINE's request budget: 1,800 requests/s per endpoint, bursts of 100, whatever the timer's punctuality.</summary>
public sealed class SteadyTokenBucketTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_burst_takes_the_bucket_at_once_and_the_rest_waits_its_turn()
    {
        using var bucket = Bucket();
        var leases = Enumerable.Range(0, 300).Select(_ => bucket.AcquireAsync(1).AsTask()).ToList();

        Assert.Equal(100, leases.Count(l => l.IsCompleted));
        _clock.Advance(TimeSpan.FromMilliseconds(50)); // 90 more are due
        Assert.Equal(190, leases.Count(l => l.IsCompleted));
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.All(await Task.WhenAll(leases).WaitAsync(TimeSpan.FromSeconds(10)), l => Assert.True(l.IsAcquired));
    }

    [Fact]
    public void A_late_timer_loses_no_budget_while_requests_wait()
    {
        using var bucket = Bucket();
        var leases = Enumerable.Range(0, 3_000).Select(_ => bucket.AcquireAsync(1).AsTask()).ToList();

        // The pool was busy: the first wake-up comes a whole second late. Everything due meanwhile goes at once.
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(100 + 1_800, leases.Count(l => l.IsCompletedSuccessfully));
    }

    [Fact]
    public void No_span_grants_more_than_the_bucket_plus_the_rate_over_it()
    {
        using var bucket = Bucket();
        var leases = Enumerable.Range(0, 20_000).Select(_ => bucket.AcquireAsync(1).AsTask()).ToList();
        var steps = new[] { 1, 7, 50, 300, 3, 120, 900, 10, 45, 600 }; // uneven wake-ups, some very late

        var elapsed = 0;
        foreach (var ms in steps)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(ms));
            elapsed += ms;
            var granted = leases.Count(l => l.IsCompletedSuccessfully);
            Assert.InRange(granted, 1, 100 + (int)(1_800 * elapsed / 1000.0) + 1);
        }
    }

    [Fact]
    public void An_idle_bucket_refills_only_up_to_its_size()
    {
        using var bucket = Bucket();
        Assert.True(bucket.AttemptAcquire(100).IsAcquired);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(bucket.AttemptAcquire(100).IsAcquired);
        Assert.False(bucket.AttemptAcquire(1).IsAcquired);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_and_takes_nothing()
    {
        using var bucket = Bucket();
        Assert.True(bucket.AttemptAcquire(100).IsAcquired);
        using var cancel = new CancellationTokenSource();
        var cancelled = bucket.AcquireAsync(1, cancel.Token).AsTask();
        var next = bucket.AcquireAsync(1).AsTask();

        await cancel.CancelAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(10));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await next.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired);
    }

    private SteadyTokenBucket Bucket() => new(LineRateLimits.Bucket(2_000), _clock);
}
