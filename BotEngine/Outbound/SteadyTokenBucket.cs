using System.Threading.RateLimiting;

namespace BotEngine.Outbound;

/// <summary>
/// A token bucket that counts time, not timer ticks. .NET's <see cref="TokenBucketRateLimiter"/> adds tokens from a
/// pool timer and caps them at the bucket's size, so every tick that fires late loses budget: with a 50 ms bucket and
/// the engine's own work queued on the pool, 1,800 permits/s became about 1,000 (4 busy pool threads: 1,102/s; 16:
/// 257/s; BENCHMARKS.md) exactly when a backlog needed them. Here the budget grows with the time elapsed, and while
/// requests wait it is not capped: a late tick releases what was due meanwhile. Over any span the permits granted stay
/// within the bucket's size plus the rate times the span, the bound the bucket was sized for.
/// </summary>
internal sealed class SteadyTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true);
    private static readonly RateLimitLease Refused = new Lease(false);

    private readonly int _capacity;
    private readonly int _queueLimit;
    private readonly double _perTick; // tokens per Stopwatch-style timestamp tick of the clock
    private readonly TimeProvider _clock;
    private readonly ITimer _timer;
    private readonly Queue<Waiter> _waiters = new();
    private readonly Lock _gate = new();
    private double _tokens;
    private long _last;
    private long _idleSince;
    private bool _armed;
    private long _granted;
    private long _waitingPermits;

    public SteadyTokenBucket(TokenBucketRateLimiterOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.TokenLimit;
        _queueLimit = options.QueueLimit;
        _clock = clock;
        _perTick = options.TokensPerPeriod / (options.ReplenishmentPeriod.TotalSeconds * clock.TimestampFrequency);
        _tokens = _capacity;
        _last = _idleSince = clock.GetTimestamp();
        _timer = clock.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count > 0 ? null : _clock.GetElapsedTime(_idleSince);
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)_tokens,
                CurrentQueuedCount = _waiters.Count,
                TotalSuccessfulLeases = _granted,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            return TryTake(permitCount) ? Granted : Refused;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (TryTake(permitCount))
            {
                return ValueTask.FromResult(Granted);
            }

            if (_waiters.Count >= _queueLimit)
            {
                return ValueTask.FromResult(Refused);
            }

            var waiter = new Waiter(permitCount);
            _waiters.Enqueue(waiter);
            _waitingPermits += permitCount;
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(() => waiter.Done.TrySetCanceled(cancellationToken));
            }

            Arm();
            return new ValueTask<RateLimitLease>(waiter.Done.Task);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
            lock (_gate)
            {
                while (_waiters.TryDequeue(out var waiter))
                {
                    waiter.Done.TrySetResult(Refused);
                }

                _waitingPermits = 0;
            }
        }

        base.Dispose(disposing);
    }

    // Only when nobody waits (first come, first served) and the budget covers the request.
    private bool TryTake(int permits)
    {
        Refill();
        if (_waiters.Count > 0 || _tokens < permits)
        {
            return false;
        }

        _tokens -= permits;
        _granted += permits;
        return true;
    }

    private void Refill()
    {
        var now = _clock.GetTimestamp();
        _tokens = Math.Min(_tokens + (now - _last) * _perTick, _capacity + _waitingPermits);
        _last = now;
    }

    private void Release()
    {
        lock (_gate)
        {
            _armed = false;
            Refill();
            while (_waiters.TryPeek(out var head) && (_tokens >= head.Permits || head.Done.Task.IsCompleted))
            {
                _waiters.Dequeue();
                _waitingPermits -= head.Permits;
                head.Registration.Dispose();
                if (head.Done.TrySetResult(Granted))
                {
                    _tokens -= head.Permits;
                    _granted += head.Permits;
                }
            }

            _tokens = Math.Min(_tokens, _capacity);
            if (_waiters.Count > 0) Arm();
            else _idleSince = _clock.GetTimestamp();
        }
    }

    // Wakes up when the head of the queue can go, at least 5 ms later: each wake-up then releases about nine.
    private void Arm()
    {
        if (_armed) return;
        _armed = true;
        var missing = _waiters.Peek().Permits - _tokens;
        var wait = TimeSpan.FromSeconds(Math.Max(missing / (_perTick * _clock.TimestampFrequency), 0.005));
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private sealed class Waiter(int permits)
    {
        public int Permits { get; } = permits;

        public TaskCompletionSource<RateLimitLease> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
