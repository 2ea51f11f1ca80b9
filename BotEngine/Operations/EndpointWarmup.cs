namespace BotEngine.Operations;

/// <summary>
/// Builds the endpoint table (every minimal-API endpoint's request delegate: about 100 ms of CPU) once the server has
/// answered its first request, so that neither the first <c>/healthz</c> 200 (answered before routing) nor the first
/// webhook waits for it.
/// </summary>
internal sealed class EndpointWarmup(EndpointDataSource endpoints) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = endpoints.Endpoints.Count;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
