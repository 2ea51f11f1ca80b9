using System.Text;
using BotEngine.Channels;
using BotEngine.Channels.Telegram;

namespace BotEngine.Tests.Channels.Telegram;

public sealed class TelegramUpdateParserTests
{
    [Fact]
    public void Text_message_becomes_a_text_event_in_its_chats_lane()
    {
        var parsed = Parse("""{"update_id":1001,"message":{"message_id":5,"date":1700000000,"chat":{"id":-42,"type":"group"},"from":{"id":7},"text":"ping"}}""");

        var e = Assert.Single(parsed.Events);
        Assert.Equal(("1001", "-42", "-42"), (e.EventId, e.Conversation, e.Recipient));
        Assert.Equal(new ConversationInput("text", "ping", UserId: "7"), e.Input);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), e.OccurredAt);
        Assert.Null(e.ReplyToken);
    }

    [Fact]
    public void Callback_query_becomes_a_postback_that_keeps_its_id_to_answer()
    {
        var parsed = Parse("""{"update_id":7,"callback_query":{"id":"x","from":{"id":9},"data":"book:yes","message":{"message_id":1,"date":1,"chat":{"id":9}}}}""");

        var e = Assert.Single(parsed.Events);
        Assert.Equal(new ConversationInput("postback", Data: "book:yes", UserId: "9"), e.Input);
        Assert.Equal("x", e.ReplyToken); // the callback query's id, answered by the delivery
    }

    [Fact]
    public void Photo_and_edited_messages_keep_their_kind()
    {
        Assert.Equal("message.photo", Assert.Single(Parse("""{"update_id":2,"message":{"date":1,"chat":{"id":1},"photo":[]}}""").Events).Input.Kind);
        Assert.Equal("edited_message", Assert.Single(Parse("""{"update_id":3,"edited_message":{"date":1,"chat":{"id":1},"text":"x"}}""").Events).Input.Kind);
    }

    [Theory]
    [InlineData("not json", null)]
    [InlineData("""{"message":{}}""", null)]
    [InlineData("""{"update_id":5,"poll":{"id":"1"}}""", "5")]
    public void Bodies_without_an_answerable_update_are_malformed(string body, string? eventId)
    {
        var parsed = Parse(body);

        Assert.Empty(parsed.Events);
        Assert.Equal(eventId, Assert.Single(parsed.Malformed).EventId);
    }

    private static ParsedBody Parse(string json) => TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(json));
}
