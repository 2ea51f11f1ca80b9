using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Channels.Dev;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Dev;

/// <summary>The dev channel's API: the same queue, actors and delivery as LINE, answers by server-sent events.</summary>
public sealed class DevChannelTests : EngineTest
{
    [Fact]
    public async Task Dev_message_is_answered_on_the_users_stream()
    {
        Start();
        await using var stream = await DevStream.OpenAsync(App.Client, "alice");

        await DevStream.PostAsync(App.Client, "alice", "ping");

        var mine = await stream.NextAsync(e => e.From == DevEntry.FromUser, Deadline);
        var answer = await stream.NextAsync(e => e.From == DevEntry.FromBot, Deadline);
        Assert.Equal(("ping", "pong"), (mine.Text, answer.Text));
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "the dev event is done");
        Assert.Equal("shown", Assert.Single(App.Queue.EventRows()).Outcome);
    }

    [Fact]
    public async Task Conversation_view_shows_step_and_variables()
    {
        Start();
        await using var stream = await DevStream.OpenAsync(App.Client, "bob");
        await DevStream.PostAsync(App.Client, "bob", "count");
        await DevStream.PostAsync(App.Client, "bob", "count");
        await stream.NextAsync(e => e.Text.Contains("#2", StringComparison.Ordinal), Deadline);

        using var view = JsonDocument.Parse(await App.Client.GetStringAsync(new Uri("/dev/api/conversations/bob", UriKind.Relative)));

        Assert.Equal("menu", view.RootElement.GetProperty("step").GetString());
        Assert.Equal("2", view.RootElement.GetProperty("variables").GetProperty("texts").GetString());
    }

    [Fact]
    public async Task A_conversation_never_seen_shows_the_flows_start_step()
    {
        Start();

        using var view = JsonDocument.Parse(await App.Client.GetStringAsync(new Uri("/dev/api/conversations/never-seen", UriKind.Relative)));

        Assert.Equal("menu", view.RootElement.GetProperty("step").GetString());
    }

    [Fact]
    public async Task Reconnecting_stream_replays_recent_lines_once()
    {
        Start();
        await using (var first = await DevStream.OpenAsync(App.Client, "carol"))
        {
            await DevStream.PostAsync(App.Client, "carol", "ping");
            await first.NextAsync(e => e.Text == "pong", Deadline);
        }

        await using var second = await DevStream.OpenAsync(App.Client, "carol");
        await DevStream.PostAsync(App.Client, "carol", "count");

        var seen = new List<string>();
        await second.NextAsync(e => { seen.Add(e.Text); return e.Text.Contains("#2", StringComparison.Ordinal); }, Deadline);
        Assert.Equal(["ping", "pong", "count"], seen.Take(3));
        Assert.Single(seen, "pong");
    }

    [Fact]
    public async Task Postback_goes_into_the_conversation_as_postback_data()
    {
        Start();
        await using var stream = await DevStream.OpenAsync(App.Client, "dave");

        await DevStream.PostAsync(App.Client, "dave", data: "action=book");

        var mine = await stream.NextAsync(e => e.From == DevEntry.FromUser, Deadline);
        Assert.Equal("action=book", mine.Data);
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "the postback event is done");
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE kind = 'postback' AND data = 'action=book' AND state = 2"));
    }

    [Theory]
    [InlineData("""{"user":"bad user","text":"hi"}""")]
    [InlineData("""{"user":"eve"}""")]
    [InlineData("""{"user":"eve","text":"hi","data":"x"}""")]
    [InlineData("hello, not JSON")]
    [InlineData("""["eve", "hi"]""")]
    [InlineData("""{"user":"eve","text":42}""")]
    [InlineData("")]
    public async Task Bad_dev_message_is_refused_with_400_and_a_clear_error(string json)
    {
        Start();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await App.Client.PostAsync(new Uri("/dev/api/messages", UriKind.Relative), content);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(answer.RootElement.GetProperty("error").GetString()));
        Assert.Equal(0, App.Queue.Bodies);
    }

    [Fact]
    public async Task Dev_api_needs_the_admin_token_when_one_is_set()
    {
        Start(("Admin:Token", "dev-secret"));

        using var without = await App.Client.PostAsJsonAsync("/dev/api/messages", new { user = "eve", text = "hi" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dev/api/conversations/eve");
        request.Headers.Authorization = new("Bearer", "dev-secret");
        using var with = await App.Client.SendAsync(request);
        using var page = await App.Client.GetAsync(new Uri("/dev", UriKind.Relative));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (without.StatusCode, with.StatusCode));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
