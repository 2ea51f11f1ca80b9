namespace BotEngine.Operations;

/// <summary>
/// When the server has answered its first request (or <see cref="Limit"/> after it listens, if none came): what only
/// the pipeline behind the queue needs starts then (<see cref="AfterFirstAnswer"/>: the journals' warm-up, the delivery worker, LINE's quota reader).
/// Started as soon as the server listened, that work ran during the first request, which builds the routing table and
/// runs every health check for the first time: on 2 cores the first <c>/healthz</c> 200 waited for both (CPU at that
/// 200: 883-892 ms that way, 656-671 ms with the work held back, 2 cold starts each; BENCHMARKS.md, start-up).
/// </summary>
internal sealed class FirstAnswer(IHostApplicationLifetime lifetime)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _seen;

    /// <summary>Completes once the first response is sent, or <see cref="Limit"/> after the server listens.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var listened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => listened.TrySetResult());
        await listened.Task.WaitAsync(cancellationToken);
        await Task.WhenAny(_answered.Task, Task.Delay(Limit, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Answered() => _answered.TrySetResult();

    /// <summary>First in the pipeline: notes the first response sent (one field read per request after that).</summary>
    public static WebApplication UseFirstAnswer(WebApplication app)
    {
        var first = app.Services.GetRequiredService<FirstAnswer>();
        app.Use((http, next) =>
        {
            if (!first._seen)
            {
                first._seen = true;
                http.Response.OnCompleted(() =>
                {
                    first.Answered();
                    return Task.CompletedTask;
                });
            }

            return next(http);
        });
        return app;
    }
}
