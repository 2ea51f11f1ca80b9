using System.Net;
using BotEngine.Storage;
using BotEngine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Operations;

/// <summary>
/// A full disk, simulated with SQLite's <c>max_page_count</c> set on the writer's own connection (a test hook through
/// <see cref="SqliteWriter.ExecuteAsync{T}(System.Func{IWriteContext, T}, long, CancellationToken)"/>; nothing in the engine's settings): 503s, nothing stored, a clear
/// /healthz and metric, and normal service by itself once space returns.
/// </summary>
public sealed class DiskFullTests : EngineTest
{
    private const int Unlimited = 1_073_741_823;

    [Fact]
    public async Task Full_disk_answers_503_stores_nothing_and_recovers_by_itself()
    {
        Start();
        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));
        await SettledAsync();
        var writer = App.Services.GetRequiredService<SqliteWriter>();

        await SetMaxPageCountAsync(writer, pages: null);
        var acceptedWhileFilling = await FillAsync();
        var storedWhenFull = App.Queue.Bodies;
        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            refused.Add(await App.PostLineAsync(BigBody()));
        }

        var health = await HealthAsync();
        var metrics = await App.Client.GetStringAsync("/metrics");

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All(refused, r => Assert.Equal("5", r.Headers.GetValues("Retry-After").Single()));
        Assert.Equal(storedWhenFull, App.Queue.Bodies);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Contains("disk full", health.Text, StringComparison.Ordinal);
        Assert.Contains("botengine_storage_full 1", metrics, StringComparison.Ordinal);
        Assert.Contains("botengine_storage_errors_total{kind=\"full\"}", metrics, StringComparison.Ordinal);

        await SetMaxPageCountAsync(writer, Unlimited);
        await Eventually.TrueAsync(() => HealthAsync().GetAwaiter().GetResult().Status == HttpStatusCode.OK,
            Deadline, "/healthz 200 once space is back");
        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));

        await Line.WaitForAcceptedAsync(1 + acceptedWhileFilling + 1, Deadline);
        await SettledAsync();
        Assert.Contains("botengine_storage_full 0", await App.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        foreach (var response in refused)
        {
            response.Dispose();
        }
    }

    // The file may have a few free pages: bodies are accepted until the first 503.
    private async Task<int> FillAsync()
    {
        for (var accepted = 0; accepted < 50; accepted++)
        {
            using var response = await App.PostLineAsync(BigBody());
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return accepted;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        throw new InvalidOperationException("The capped file never filled up");
    }

    private static byte[] BigBody() =>
        LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping " + new string('x', 60_000)));

    private async Task<(HttpStatusCode Status, string Text)> HealthAsync()
    {
        using var response = await App.Client.GetAsync("/healthz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // null: cap the file at the pages it has now, so the next page it needs is refused with SQLITE_FULL.
    private static Task<object?> SetMaxPageCountAsync(SqliteWriter writer, int? pages) => writer.ExecuteAsync(context =>
    {
        var limit = pages ?? Convert.ToInt64(context.Command("PRAGMA page_count;").ExecuteScalar(),
            System.Globalization.CultureInfo.InvariantCulture);
        using var command = context.Connection.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = $"PRAGMA max_page_count = {limit};";
        return command.ExecuteScalar();
    });
}
