using BotEngine.Channels.Line;
using BotEngine.Outbound;
using System.Threading.RateLimiting;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Outbound;

/// <summary>LINE's request budget: 2,000 requests/s per endpoint, bursts of 500, never above LINE's 2,000 in any
/// second, whatever the timer's punctuality.</summary>
public sealed class SteadyTokenBucketTests
{
    private static readonly int[] LineLimits = [2_000, 200, 666, 250, 25];

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_burst_takes_the_bucket_at_once_and_the_rest_waits_its_turn()
    {
        using var bucket = Bucket();
        var leases = Enumerable.Range(0, 800).Select(_ => bucket.AcquireAsync(1).AsTask()).ToList();

        Assert.Equal(500, leases.Count(l => l.IsCompleted));
        _clock.Advance(TimeSpan.FromMilliseconds(50)); // 100 more are due
        Assert.Equal(600, leases.Count(l => l.IsCompleted));
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

        // The rate would release 500 + 2,000; LINE's second holds 2,000.
        Assert.Equal(2_000, leases.Count(l => l.IsCompletedSuccessfully));

        // That catch-up filled LINE's second: half a second on, only the first 500 (granted at 0) have left the
        // 1-s window, not the 1,000 the rate alone would release.
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2_000 + 500, leases.Count(l => l.IsCompletedSuccessfully));
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
            Assert.InRange(granted, 1, 500 + (int)(2_000 * elapsed / 1000.0) + 1);
        }
    }

    [Fact]
    public void An_idle_bucket_refills_only_up_to_its_size()
    {
        using var bucket = Bucket();
        Assert.True(bucket.AttemptAcquire(500).IsAcquired);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(bucket.AttemptAcquire(500).IsAcquired);
        Assert.False(bucket.AttemptAcquire(1).IsAcquired);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_and_takes_nothing()
    {
        using var bucket = Bucket();
        Assert.True(bucket.AttemptAcquire(500).IsAcquired);
        using var cancel = new CancellationTokenSource();
        var cancelled = bucket.AcquireAsync(1, cancel.Token).AsTask();
        var next = bucket.AcquireAsync(1).AsTask();

        await cancel.CancelAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(10));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await next.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired);
    }

    // LINE's rule (https://developers.line.biz/en/reference/messaging-api/#rate-limits): 2,000 requests/s for reply and
    // push, 200 for multicast; a cluster node's share down to 250 (multicast 25). Whatever the arrivals and however
    // late the timer, no 1-second window (both ends included) grants more, and a backlog still drains at the rate.
    [Fact]
    public void No_second_grants_more_than_LINE_s_count_and_a_backlog_still_drains()
    {
        var limits = Gen.Int[0, LineLimits.Length - 1].Select(i => LineLimits[i]);
        var steps = Gen.Select(Gen.Int[0, 1_300], Gen.Double[0, 1.2]).Array[1, 12]; // (late wake-up ms, arrivals × limit)
        Gen.Select(limits, steps).Sample((limit, plan) =>
        {
            var clock = new FakeTimeProvider();
            using var bucket = new SteadyTokenBucket(LineRateLimits.Bucket(limit), clock, limit);
            var waiting = new Queue<Task<RateLimitLease>>(); // first come, first granted
            var grants = new List<long>();
            long now = 0;
            void Collect()
            {
                while (waiting.TryPeek(out var head) && head.IsCompletedSuccessfully && head.Result.IsAcquired)
                {
                    waiting.Dequeue().Result.Dispose();
                    grants.Add(now);
                }
            }

            foreach (var (wait, share) in plan)
            {
                for (var i = 0; i < (int)(share * limit); i++) waiting.Enqueue(bucket.AcquireAsync(1).AsTask());
                Collect();
                clock.Advance(TimeSpan.FromMilliseconds(wait));
                now += wait;
                Collect();
            }

            var refill = LineRateLimits.Bucket(limit).TokensPerPeriod;
            var drainBy = now + 1_000L * waiting.Count / refill + 1_100; // a catch-up may have filled the last second
            while (waiting.Count > 0 && now < drainBy)
            {
                clock.Advance(TimeSpan.FromMilliseconds(20));
                now += 20;
                Collect();
            }

            var busiest = 0;
            for (int first = 0, last = 0; first < grants.Count; first++)
            {
                while (last < grants.Count && grants[last] <= grants[first] + 1_000) last++;
                busiest = Math.Max(busiest, last - first);
            }

            return waiting.Count == 0 && busiest <= limit;
        }, iter: 60);
    }

    private SteadyTokenBucket Bucket() => new(LineRateLimits.Bucket(2_000), _clock, 2_000);
}
