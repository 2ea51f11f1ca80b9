using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

/// <summary>An event that could not be read: dead-lettered alone, and a retry either handles it or keeps it dead.</summary>
public sealed class MalformedRetryTests : EngineTest
{
    [Fact]
    public async Task Broken_utf8_in_one_event_dead_letters_it_alone_and_a_retry_answers_it()
    {
        Start();
        var (alice, bob, carol) = (LineFixtures.NewUserId(), LineFixtures.NewUserId(), LineFixtures.NewUserId());
        var body = LineFixtures.Body(LineFixtures.TextEvent(alice, "count"), LineFixtures.TextEvent(bob, "BROKEN"),
            LineFixtures.TextEvent(carol, "count"));
        var at = body.AsSpan().IndexOf("BROKEN"u8);
        (body[at], body[at + 1]) = ((byte)0xC3, (byte)0x28); // a UTF-8 lead byte without its continuation

        using (var posted = await App.PostLineAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var answered = await SettledAsync();
        Assert.Equal(2, answered.Count);
        Assert.Contains(answered, a => a.IsTo(alice, App.Queue));
        Assert.Contains(answered, a => a.IsTo(carol, App.Queue));
        var letter = Assert.Single((await ListDeadAsync()).EnumerateArray());
        Assert.Contains("not valid UTF-8", letter.GetProperty("error").GetString(), StringComparison.Ordinal);

        using var retry = await App.Client.PostAsync($"/admin/dead-letters/{letter.GetProperty("id").GetInt64()}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Line.WaitForAcceptedAsync(3, Deadline);
        Assert.True((await SettledAsync())[2].IsTo(bob, App.Queue));
        // Handled with what could be read: the bad bytes became U+FFFD.
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE state = 2 AND text = '\uFFFD(OKEN'"));
        Assert.Empty((await ListDeadAsync()).EnumerateArray());
    }

    [Fact]
    public async Task Retrying_an_event_that_still_does_not_read_keeps_it_dead_with_the_reason()
    {
        Start();
        var unknown = """{"type":"teleport","mode":"active","timestamp":1,"webhookEventId":"01UNKNOWN","source":{"type":"user","userId":"U1"},"deliveryContext":{"isRedelivery":false}}""";
        await PostAsync(unknown);
        await Eventually.TrueAsync(() => App.Queue.DeadEvents == 1 && App.Queue.UnsplitBodies == 0, Deadline, "dead-lettered");
        var id = Assert.Single((await ListDeadAsync()).EnumerateArray()).GetProperty("id").GetInt64();

        using var retry = await App.Client.PostAsync($"/admin/dead-letters/{id}/retry", null);
        var answer = await retry.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, retry.StatusCode);
        Assert.Contains("still malformed: event 0: unknown event type 'teleport'", answer.GetProperty("error").GetString(),
            StringComparison.Ordinal);
        var letter = Assert.Single((await ListDeadAsync()).EnumerateArray());
        Assert.StartsWith("still malformed", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, App.Queue.OpenEvents);
        Assert.Empty(Line.Accepted);
    }

    private async Task<JsonElement> ListDeadAsync() => await App.Client.GetFromJsonAsync<JsonElement>("/admin/dead-letters");
}
