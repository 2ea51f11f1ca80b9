using Prometheus;

namespace BotEngine.Operations;

/// <summary>
/// Watches the thread pool from a thread of its own: every 100 ms it queues a probe, and a probe that has not run
/// after a second means the pool ran nothing meanwhile (every pool thread blocked). Webhook answers, claims and sends
/// all need the pool, so such a freeze stops the engine while it still looks healthy; one of 17-37 s went unnoticed
/// until a benchmark showed it (BENCHMARKS.md). Logged with the pool's state, counted in
/// <c>botengine_threadpool_stalls_total</c>; the longest wait since start is <c>botengine_threadpool_max_lag_seconds</c>.
/// </summary>
internal sealed class ThreadPoolWatch : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Stalled = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock;
    private readonly ILogger<ThreadPoolWatch> _logger;
    private readonly Counter _stalls;
    private readonly Gauge _maxLag;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _thread;
    private long _queuedAt; // timestamp of the probe in the pool's queue, 0 when none is
    private volatile bool _reported;
    private bool _started;

    public ThreadPoolWatch(EngineMetrics metrics, TimeProvider clock, ILogger<ThreadPoolWatch> logger)
    {
        _clock = clock;
        _logger = logger;
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _stalls = factory.CreateCounter("botengine_threadpool_stalls_total",
            "Times the thread pool ran no work item for more than a second.");
        _maxLag = factory.CreateGauge("botengine_threadpool_max_lag_seconds",
            "Longest wait of a work item for a pool thread since start (sampled every 100 ms).");
        _thread = new Thread(Run) { IsBackground = true, Name = "pool-watch" };
    }

    /// <summary>Whether the watch thread still runs.</summary>
    public bool IsRunning => _thread.IsAlive;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread.Start();
        _started = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Set();
        return Task.CompletedTask;
    }

    // The host may dispose without stopping (a failed start, a test's teardown): the watch thread must have left its
    // wait before the event goes, or it throws ObjectDisposedException on a thread of its own and ends the process.
    public void Dispose()
    {
        _stopping.Set();
        if (_started)
        {
            _thread.Join();
        }

        _stopping.Dispose();
    }

    private void Run()
    {
        while (!_stopping.Wait(Interval))
        {
            var queuedAt = Interlocked.Read(ref _queuedAt);
            if (queuedAt == 0)
            {
                Interlocked.Exchange(ref _queuedAt, _clock.GetTimestamp());
                ThreadPool.UnsafeQueueUserWorkItem(static watch => watch.ProbeRan(), this, preferLocal: false);
            }
            else if (!_reported && _clock.GetElapsedTime(queuedAt) > Stalled)
            {
                _reported = true;
                _stalls.Inc();
                _logger.LogWarning(
                    "The thread pool has run nothing for {Seconds:F1} s: {Threads} threads, {Queued} work items queued",
                    _clock.GetElapsedTime(queuedAt).TotalSeconds, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
            }
        }
    }

    private void ProbeRan()
    {
        var lag = _clock.GetElapsedTime(Interlocked.Read(ref _queuedAt));
        if (lag.TotalSeconds > _maxLag.Value)
        {
            _maxLag.Set(lag.TotalSeconds);
        }

        if (_reported)
        {
            _logger.LogWarning("The thread pool runs again after {Seconds:F1} s", lag.TotalSeconds);
            _reported = false;
        }

        Interlocked.Exchange(ref _queuedAt, 0);
    }
}
