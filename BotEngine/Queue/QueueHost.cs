using BotEngine.Storage;

namespace BotEngine.Queue;

/// <summary>
/// Opens the queue file before anything else starts and closes it after everything else stopped (hosted services
/// stop in reverse order), so every writer call of the other services finds the writer running.
/// </summary>
internal sealed class QueueHost(SqliteWriter writer, EventStore events, ILogger<QueueHost> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start(Schema.Apply);
        var released = await events.ReleaseAllAsync(cancellationToken);
        if (released > 0)
        {
            logger.LogInformation("{Count} events claimed by the previous run are pending again", released);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync().WaitAsync(cancellationToken);
}
