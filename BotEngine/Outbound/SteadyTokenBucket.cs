using System.Threading.RateLimiting;

namespace BotEngine.Outbound;

/// <summary>
/// A token bucket that counts time, not timer ticks. .NET's <see cref="TokenBucketRateLimiter"/> adds tokens from a
/// pool timer and caps them at the bucket's size, so every tick that fires late loses budget: with a 50 ms bucket and
/// the engine's own work queued on the pool, 1,800 permits/s became about 1,000 (4 busy pool threads: 1,102/s; 16:
/// 257/s; BENCHMARKS.md) exactly when a backlog needed them. Here the budget grows with the time elapsed, and while
/// requests wait it is not capped: a late tick releases what was due meanwhile. Such a catch-up lands in the next
/// second with that second's own budget, so where a platform counts requests per second (LINE) the bucket also takes
/// <c>perSecond</c>: no 1-second window, both ends included, ever holds more grants than that, catch-up or not.
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
    // The times of the last perSecond grants, oldest at _oldest: one more may go once that one is over a second old.
    private readonly long[]? _recent;
    private readonly long _second;
    private int _oldest;

    public SteadyTokenBucket(TokenBucketRateLimiterOptions options, TimeProvider clock, int? perSecond = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.TokenLimit;
        _queueLimit = options.QueueLimit;
        _clock = clock;
        _perTick = options.TokensPerPeriod / (options.ReplenishmentPeriod.TotalSeconds * clock.TimestampFrequency);
        _tokens = _capacity;
        _last = _idleSince = clock.GetTimestamp();
        _timer = clock.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _second = clock.TimestampFrequency;
        if (perSecond is { } most)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(most, Math.Max(_capacity, 1), nameof(perSecond));
            _recent = new long[most];
            Array.Fill(_recent, _last - _second - 1); // nothing granted in the second before the start
        }
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
        CheckPermits(permitCount);
        lock (_gate)
        {
            return TryTake(permitCount) ? Granted : Refused;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermits(permitCount);
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

    // More than a second's count at once could never be granted: refused loudly rather than waiting forever.
    private void CheckPermits(int permits) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permits, _recent?.Length ?? int.MaxValue, "permitCount");

    // Only when nobody waits (first come, first served) and the budget covers the request.
    private bool TryTake(int permits)
    {
        Refill();
        if (_waiters.Count > 0 || _tokens < permits || !WindowAllows(permits))
        {
            return false;
        }

        Take(permits);
        return true;
    }

    private void Take(int permits)
    {
        _tokens -= permits;
        _granted += permits;
        if (_recent is null) return;
        for (var i = 0; i < permits; i++)
        {
            _recent[_oldest] = _last;
            _oldest = (_oldest + 1) % _recent.Length;
        }
    }

    // The grant that would be the (perSecond + 1)-th within a second must wait until the earliest of them is older.
    private bool WindowAllows(int permits) =>
        _recent is null || permits <= 0 || _last - _recent[(_oldest + permits - 1) % _recent.Length] > _second;

    private long WindowOpensIn() =>
        _recent is null ? 0 : Math.Max(0, _recent[_oldest] + _second + 1 - _last);

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
            while (_waiters.TryPeek(out var head)
                && ((_tokens >= head.Permits && WindowAllows(head.Permits)) || head.Done.Task.IsCompleted))
            {
                _waiters.Dequeue();
                _waitingPermits -= head.Permits;
                head.Registration.Dispose();
                if (head.Done.TrySetResult(Granted))
                {
                    Take(head.Permits);
                }
            }

            _tokens = Math.Min(_tokens, _capacity);
            if (_waiters.Count > 0) Arm();
            else _idleSince = _clock.GetTimestamp();
        }
    }

    // Wakes up when the head of the queue can go, at least 5 ms later: each wake-up then releases about ten (LINE's 2,000/s).
    private void Arm()
    {
        if (_armed) return;
        _armed = true;
        var missing = _waiters.Peek().Permits - _tokens;
        var seconds = Math.Max(missing / (_perTick * _clock.TimestampFrequency), WindowOpensIn() / (double)_second);
        var wait = TimeSpan.FromSeconds(Math.Max(seconds, 0.005));
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
