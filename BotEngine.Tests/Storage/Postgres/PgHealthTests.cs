using BotEngine.Storage.Postgres.Queue;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>The upkeep loop's success every second once hid failing webhook appends (one shared state).</summary>
public sealed class PgHealthTests
{
    [Fact]
    public void One_parts_success_does_not_hide_anothers_failure()
    {
        var health = new PgHealth();

        health.Failed(PgHealth.Appends, new InvalidOperationException("no space"));
        health.Succeeded(PgHealth.Upkeep);
        health.Succeeded(PgHealth.Heartbeat);

        Assert.False(health.Healthy);
        Assert.Equal("appends: other: no space", health.LastError);

        health.Succeeded(PgHealth.Appends);
        Assert.True(health.Healthy);
    }
}
