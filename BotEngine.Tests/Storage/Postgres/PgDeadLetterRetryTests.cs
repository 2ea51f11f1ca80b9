using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;
using Dapper;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>The admin dead-letter retry with Storage=Postgres acts on the shared queue, not on the local queue.db.</summary>
public sealed class PgDeadLetterRetryTests : EngineTest
{
    [PostgresFact]
    public async Task Dead_letters_are_retried_in_postgres_answered_once_and_an_unreadable_one_stays_dead()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var (doomed, broken, fine) = (LineFixtures.NewReplyToken(), LineFixtures.NewReplyToken(), LineFixtures.NewReplyToken());
        Line.Fail(request => request.ReplyToken == doomed ? 500 : null);
        App = BotEngineApp.Start(Data.Path, Line, new Dictionary<string, string?>
        {
            ["BotEngine:Storage"] = "Postgres",
            ["ConnectionStrings:Postgres"] = database,
            ["BotEngine:Cluster:NodeName"] = "single",
            ["BotEngine:MaxAttempts"] = "3",
        });
        var teleport = """{"type":"teleport","mode":"active","timestamp":1,"webhookEventId":"01UNKNOWN","source":{"type":"user","userId":"U1"},"deliveryContext":{"isRedelivery":false}}""";
        var body = LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping", replyToken: doomed),
            LineFixtures.TextEvent(LineFixtures.NewUserId(), "BROKEN", replyToken: broken),
            LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping", replyToken: fine), teleport);
        var at = body.AsSpan().IndexOf("BROKEN"u8);
        (body[at], body[at + 1]) = ((byte)0xC3, (byte)0x28); // a UTF-8 lead byte without its continuation
        using (var posted = await App.PostLineAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var dead = await Eventually.ValueAsync(ListDeadAsync, d => d.Count == 3, Deadline, "three dead letters");
        Assert.Equal([fine], Line.Accepted.Select(a => a.ReplyToken));
        using (var unknown = await App.Client.PostAsync("/admin/dead-letters/424242/retry", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var still = await App.Client.PostAsync($"/admin/dead-letters/{IdOf(dead, "01UNKNOWN")}/retry", null))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, still.StatusCode);
            var answer = await still.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("unknown event type 'teleport'", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Line.ClearFailures();
        foreach (var letter in dead.Where(d => d.GetProperty("eventId").GetString() != "01UNKNOWN"))
        {
            using var retry = await App.Client.PostAsync($"/admin/dead-letters/{letter.GetProperty("id").GetInt64()}/retry", null);
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }

        await Line.WaitForAcceptedAsync(3, Deadline);
        await using var connection = new NpgsqlConnection(database);
        await Eventually.TrueAsync(() => connection.ExecuteScalar<long>("SELECT count(*) FROM events WHERE state IN (0, 1)") == 0,
            Deadline, "every retried event done");
        Assert.Equal(new[] { broken, doomed, fine }.Order(), Line.Accepted.Select(a => a.ReplyToken!).Order());
        var left = Assert.Single(await ListDeadAsync());
        Assert.Equal("01UNKNOWN", left.GetProperty("eventId").GetString());
        Assert.StartsWith("still malformed", left.GetProperty("error").GetString(), StringComparison.Ordinal);
        // The revived event went to its user's lane with what could be read (the bad bytes became U+FFFD).
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT count(*) FROM events WHERE state = 2 AND text = '\uFFFD(OKEN'"));
    }

    private static long IdOf(IReadOnlyList<JsonElement> dead, string eventId) =>
        dead.Single(d => d.GetProperty("eventId").GetString() == eventId).GetProperty("id").GetInt64();

    private async Task<IReadOnlyList<JsonElement>> ListDeadAsync() =>
        [.. (await App.Client.GetFromJsonAsync<JsonElement>("/admin/dead-letters")).EnumerateArray()];
}
