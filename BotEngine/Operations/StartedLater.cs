using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotEngine.Operations;

/// <summary>The one way to run a worker after the server's first answer (<see cref="FirstAnswer"/>).</summary>
internal static class AfterFirstAnswer
{
    /// <summary>
    /// Starts <typeparamref name="TWorker"/> (registered by the caller, resolved only then) once the server has answered
    /// its first request; its <c>StartAsync</c> may run as long as it needs, with a token cancelled when the host stops.
    /// </summary>
    public static IServiceCollection AddAfterFirstAnswer<TWorker>(this IServiceCollection services)
        where TWorker : class, IHostedService
    {
        services.TryAddSingleton<FirstAnswer>(); // the engine's registrations each may be the first one a test host calls
        return services.AddHostedService<StartedLater<TWorker>>();
    }
}

/// <summary>
/// Starts a worker after the server's first answer (<see cref="FirstAnswer"/>) instead of before it listens: the
/// first <c>/healthz</c> 200 and the first webhook need only the queue, not the pipeline behind it. Building the
/// delivery worker (every platform's HTTP client and resilience pipeline) cost about 100 ms of CPU before the server
/// listened, LINE's quota reader (its own HTTP client) about 30 ms. Stopped in its place: the host stops services in
/// reverse order, so it still stops before what it needs.
/// </summary>
internal sealed class StartedLater<TWorker>(IServiceProvider services, FirstAnswer first)
    : IHostedLifecycleService, IStartedLater, IDisposable
    where TWorker : class, IHostedService
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private TWorker? _started;

    public IHostedService? Worker => _started;

    // Not awaited: the host raises ApplicationStarted (and tells systemd it is ready) after every StartedAsync.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _ = StartLaterAsync();
        return Task.CompletedTask;
    }

    private async Task StartLaterAsync()
    {
        try
        {
            await first.WaitAsync(_stopping.Token);
            var worker = services.GetRequiredService<TWorker>();
            lock (_gate)
            {
                if (_stopping.IsCancellationRequested) return;
                _started = worker;
            }

            await worker.StartAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopped before it started
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _stopping.Cancel();
        return _started?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A worker started after the first answer; <see cref="EngineHealthCheck"/> reads its state through this.</summary>
internal interface IStartedLater
{
    /// <summary>The worker, once started.</summary>
    IHostedService? Worker { get; }
}
