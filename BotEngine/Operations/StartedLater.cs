namespace BotEngine.Operations;

/// <summary>
/// Starts a worker once the server listens instead of before: the first <c>/healthz</c> 200 and the first webhook
/// need only the queue, not the pipeline behind it. Building the delivery worker (every platform's HTTP client and
/// resilience pipeline) cost about 100 ms of CPU before the server listened, a quarter of the wait on 2 cores;
/// LINE's quota reader (its own HTTP client) about 30 ms.
/// Stopped in its place: the host stops services in reverse order, so it still stops before what it needs.
/// </summary>
internal sealed class StartedLater<TWorker>(IServiceProvider services) : IHostedLifecycleService, IStartedLater
    where TWorker : class, IHostedService
{
    private readonly Lock _gate = new();
    private TWorker? _started;
    private bool _stopping;

    public IHostedService? Worker => _started;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var worker = services.GetRequiredService<TWorker>();
        lock (_gate)
        {
            if (_stopping) return;
            _started = worker;
        }

        await worker.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _stopping = true;
        return _started?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A worker started once the server listens; <see cref="EngineHealthCheck"/> reads its state through this.</summary>
internal interface IStartedLater
{
    /// <summary>The worker, once started.</summary>
    IHostedService? Worker { get; }
}
