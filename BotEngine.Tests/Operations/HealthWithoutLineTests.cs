using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Operations;

/// <summary>
/// The quick start runs with no platform configured: /healthz must say Healthy there too. LINE's quota reader once
/// ended at once when LINE was off, and /healthz counted it as a stopped worker (503 on every fresh install).
/// </summary>
public sealed class HealthWithoutLineTests : EngineTest
{
    [Fact]
    public async Task With_line_off_every_worker_runs_and_the_engine_is_healthy()
    {
        Start(("Channels:Line:ChannelSecret", ""), ("Channels:Line:ChannelAccessToken", ""));

        var quota = App.Services.GetRequiredService<LineQuotaWorker>();
        // Started after the server's first answer (or a second after it listens).
        await App.Client.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        await Eventually.TrueAsync(() => quota.ExecuteTask is not null, Deadline, "the quota worker started");
        Assert.False(quota.ExecuteTask?.IsCompleted ?? true, "the quota worker ended");
        // "Healthy", or "Healthy; conversations: warming up" while the journals still start after the server listens.
        Assert.StartsWith("Healthy", await App.Client.GetStringAsync(new Uri("/healthz", UriKind.Relative)), StringComparison.Ordinal);
    }
}
