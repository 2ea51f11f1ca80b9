using System.Text;
using BotEngine.Channels;
using BotEngine.Channels.Messenger;
using static BotEngine.Tests.Channels.Messenger.MessengerFixtures;

namespace BotEngine.Tests.Channels.Messenger;

public sealed class MessengerWebhookParserTests
{
    private const string User = "6543210987654321";

    [Fact]
    public void Text_message_is_a_text_event_of_the_page_and_user_with_its_mid_as_id()
    {
        var parsed = MessengerWebhookParser.Parse(Body(Text(User, "ping", "m_abc", 1_700_000_000_123)));

        var e = Assert.Single(parsed.Events);
        Assert.Equal(("m_abc", $"{FakeGraphApi.PageId}:{User}", User), (e.EventId, e.Conversation, e.Recipient));
        Assert.Equal(new ConversationInput("text", "ping", UserId: User), e.Input);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), e.OccurredAt);
        Assert.False(e.Standby);
        Assert.Null(e.ReplyToken);
    }

    [Fact]
    public void Every_item_of_every_entry_is_an_event()
    {
        var body = $$"""
            {"object":"page","entry":[
              {"id":"1","time":1,"messaging":[{{Text("a", "x")}},{{Text("b", "y")}}]},
              {"id":"2","time":1,"messaging":[{{Text("c", "z")}}],"standby":[{{Text("d", "w")}}]}]}
            """;

        var parsed = MessengerWebhookParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(["1:a", "1:b", "2:c", "2:d"], parsed.Events.Select(e => e.Conversation));
        Assert.Equal([false, false, false, true], parsed.Events.Select(e => e.Standby));
    }

    [Theory]
    [InlineData("booking=yes", "postback", null, "booking=yes")]
    [InlineData("botengine.text:2", "text", "2", null)]
    public void Quick_reply_and_postback_payloads_are_postback_data_or_the_flows_text(
        string payload, string kind, string? text, string? data)
    {
        var quick = Assert.Single(MessengerWebhookParser.Parse(Body(QuickReply(User, "Two", payload))).Events);
        var postback = Assert.Single(MessengerWebhookParser.Parse(Body(Postback(User, payload, "m_pb"))).Events);

        Assert.Equal(new ConversationInput(kind, text, data, User), quick.Input);
        Assert.Equal(new ConversationInput(kind, text, data, User), postback.Input);
        Assert.Equal("m_pb", postback.EventId);
    }

    [Fact]
    public void An_item_without_a_mid_gets_an_id_from_its_content_the_same_when_redelivered()
    {
        var item = Postback(User, "menu", timestamp: 1_700_000_000_000);
        var later = Postback(User, "menu", timestamp: 1_700_000_000_001);

        var first = Assert.Single(MessengerWebhookParser.Parse(Body(item)).Events).EventId;
        var again = Assert.Single(MessengerWebhookParser.Parse(Body(item)).Events).EventId;
        var other = Assert.Single(MessengerWebhookParser.Parse(Body(later)).Events).EventId;

        Assert.StartsWith("h:", first, StringComparison.Ordinal);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Echoes_and_receipts_are_stored_as_standby_in_the_users_conversation()
    {
        var parsed = MessengerWebhookParser.Parse(Body(Echo(User, "hi"), Delivery(User, 1), Read(User, 1)));

        Assert.Equal(["message.echo", "delivery", "read"], parsed.Events.Select(e => e.Input.Kind));
        Assert.All(parsed.Events, e => Assert.True(e.Standby));
        Assert.All(parsed.Events, e => Assert.Equal($"{FakeGraphApi.PageId}:{User}", e.Conversation));
    }

    [Fact]
    public void Attachments_and_other_events_keep_their_kind()
    {
        var sticker = """{"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,"message":{"mid":"m_s","attachments":[{"type":"image","payload":{"url":"u","sticker_id":369239263222822}}]}}""";
        var reaction = """{"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,"reaction":{"mid":"m_x","action":"react","emoji":"👍"}}""";

        var parsed = MessengerWebhookParser.Parse(Body(Image(User), sticker, reaction));

        Assert.Equal(["message.image", "message.sticker", "reaction"], parsed.Events.Select(e => e.Input.Kind));
        Assert.All(parsed.Events, e => Assert.False(e.Standby));
    }

    [Fact]
    public void A_malformed_item_is_reported_with_its_error_while_its_neighbours_are_read()
    {
        var parsed = MessengerWebhookParser.Parse(Body(Text("a", "x"),
            """{"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,"message":"oops"}""",
            """{"recipient":{"id":"2"},"timestamp":1,"message":{"mid":"m_nosender","text":"x"}}""",
            """{"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1}""",
            Text("b", "y")));

        Assert.Equal(["a", "b"], parsed.Events.Select(e => e.Recipient));
        Assert.Equal([1, 2, 3], parsed.Malformed.Select(m => m.Index));
        Assert.Contains("'message' must be an object", parsed.Malformed[0].Error, StringComparison.Ordinal);
        Assert.Equal("m_nosender", parsed.Malformed[1].EventId);
        Assert.Contains("sender.id", parsed.Malformed[1].Error, StringComparison.Ordinal);
        Assert.Contains("has no event", parsed.Malformed[2].Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"object":"instagram","entry":[]}""", "must be 'page'")]
    [InlineData("""{"object":"page"}""", "no 'entry' array")]
    public void A_body_that_is_not_a_page_webhook_is_one_malformed_event(string body, string error)
    {
        var parsed = MessengerWebhookParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Empty(parsed.Events);
        Assert.Contains(error, Assert.Single(parsed.Malformed).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped()
    {
        var parsed = MessengerWebhookParser.Parse([.. Encoding.UTF8.Preamble, .. Body(Text(User, "ping"))]);

        Assert.Single(parsed.Events);
    }
}
