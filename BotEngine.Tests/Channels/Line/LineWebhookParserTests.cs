using System.Text;
using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using static BotEngine.Tests.Channels.Line.LineEventSamples;

namespace BotEngine.Tests.Channels.Line;

public sealed class LineWebhookParserTests
{
    private static ParsedBody Parse(params string[] events) => LineWebhookParser.Parse(LineFixtures.Body(events));

    private static InboundEvent Single(string json)
    {
        var parsed = Parse(json);
        Assert.Empty(parsed.Malformed);
        return Assert.Single(parsed.Events);
    }

    public static TheoryData<string, string, string, string, bool> EveryType => All;

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_event_type_of_the_spec_is_parsed(string type, string json, string kind, string lane, bool replyable)
    {
        var e = Single(json);

        Assert.Equal(kind, e.Input.Kind);
        Assert.Equal(lane, e.Conversation);
        Assert.Equal("01HZY0000000000000000000AA", e.EventId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Timestamp), e.OccurredAt);
        Assert.Equal(replyable, e.ReplyToken is not null);
        Assert.False(e.Standby);
        Assert.Equal(json, e.Payload);
        // LINE names the member only in message-like events; membership changes list members in their content.
        var memberless = type is "join" or "leave" or "memberJoined" or "memberLeft";
        Assert.Equal(memberless || lane == LineEventReader.BotConversation ? null : UserId, e.Input.UserId);
    }

    [Fact]
    public void Text_message_from_a_user_joins_the_user_lane()
    {
        var user = LineFixtures.NewUserId();
        var e = Single(LineFixtures.TextEvent(user, "ping", eventId: "01HZYTEXT", replyToken: "token-1"));

        Assert.Equal(new ConversationInput("text", Text: "ping", UserId: user), e.Input);
        Assert.Equal(("01HZYTEXT", user, user, "token-1"), (e.EventId, e.Conversation, e.Recipient, e.ReplyToken));
    }

    [Fact]
    public void Group_message_joins_the_group_lane_and_answers_go_to_the_group()
    {
        var (group, user) = (LineFixtures.NewGroupId(), LineFixtures.NewUserId());
        var e = Single(LineFixtures.GroupTextEvent(group, user, "count"));

        Assert.Equal(("group:" + group, group), (e.Conversation, e.Recipient));
        Assert.Equal(new ConversationInput("text", Text: "count", UserId: user), e.Input);
    }

    [Fact]
    public void Room_message_joins_the_room_lane_and_answers_go_to_the_room()
    {
        var (room, user) = (LineFixtures.NewRoomId(), LineFixtures.NewUserId());
        var e = Single(LineFixtures.RoomTextEvent(room, user, "hi"));

        Assert.Equal(("room:" + room, room, user), (e.Conversation, e.Recipient, e.Input.UserId));
    }

    [Fact]
    public void Group_event_without_a_member_has_no_user()
    {
        var e = Single(LineFixtures.Event("join", LineFixtures.GroupSource(GroupId), replyToken: "rt"));

        Assert.Equal(("group:" + GroupId, GroupId, null), (e.Conversation, e.Recipient, e.Input.UserId));
    }

    [Fact]
    public void Event_without_a_source_joins_the_bot_lane_with_no_push_target()
    {
        var e = Single(LineFixtures.Event("botSuspended", source: null));

        Assert.Equal(("bot", "", null), (e.Conversation, e.Recipient, e.Input.UserId));
    }

    [Fact]
    public void Postback_carries_its_data()
    {
        var e = Single(LineFixtures.PostbackEvent(UserId, "action=buy&item=1"));

        Assert.Equal(new ConversationInput("postback", Data: "action=buy&item=1", UserId: UserId), e.Input);
    }

    [Fact]
    public void Follow_carries_its_reply_token()
    {
        var e = Single(LineFixtures.FollowEvent(UserId, replyToken: "rt-f", isUnblocked: true));

        Assert.Equal(("follow", "rt-f"), (e.Input.Kind, e.ReplyToken));
    }

    [Theory]
    [InlineData("""{"type":"image","id":"1","quoteToken":"q","contentProvider":{"type":"line"}}""", "message.image")]
    [InlineData("""{"type":"video","id":"1","quoteToken":"q","duration":6000,"contentProvider":{"type":"line"}}""",
        "message.video")]
    [InlineData("""{"type":"audio","id":"1","duration":6000,"contentProvider":{"type":"line"}}""", "message.audio")]
    [InlineData("""{"type":"file","id":"1","fileName":"a.pdf","fileSize":2138}""", "message.file")]
    [InlineData("""{"type":"location","id":"1","latitude":35.65,"longitude":139.70,"address":"Tokyo"}""",
        "message.location")]
    [InlineData("""{"type":"sticker","id":"1","quoteToken":"q","packageId":"1","stickerId":"1",""" +
        """ "stickerResourceType":"STATIC"}""", "message.sticker")]
    public void Other_message_types_are_named_after_their_type(string message, string kind)
    {
        var e = Single(Common("message", $$"""{"type":"user","userId":"{{UserId}}"}""", "rt", $"\"message\":{message}"));

        Assert.Equal(new ConversationInput(kind, UserId: UserId), e.Input);
    }

    [Fact]
    public void Sticker_fixture_is_a_sticker_message()
    {
        Assert.Equal("message.sticker", Single(LineFixtures.StickerEvent(UserId)).Input.Kind);
    }

    [Fact]
    public void Standby_event_is_parsed_and_marked_standby()
    {
        var e = Single(LineFixtures.TextEvent(UserId, "hi", mode: "standby"));

        Assert.True(e.Standby);
        Assert.Equal("hi", e.Input.Text);
    }

    [Fact]
    public void Redelivery_flag_changes_nothing_but_the_payload()
    {
        var first = Single(LineFixtures.TextEvent(UserId, "hi", "01HZYSAME", "rt", redelivery: false, timestampMs: 5));
        var again = Single(LineFixtures.TextEvent(UserId, "hi", "01HZYSAME", "rt", redelivery: true, timestampMs: 5));

        Assert.Contains("\"isRedelivery\":true", again.Payload, StringComparison.Ordinal);
        Assert.Equal(first with { Payload = "" }, again with { Payload = "" });
    }

    [Fact]
    public void Timestamp_in_milliseconds_becomes_occurred_at()
    {
        var e = Single(LineFixtures.TextEvent(UserId, "hi", timestampMs: 1_462_629_479_859));

        Assert.Equal(new DateTimeOffset(2016, 5, 7, 13, 57, 59, 859, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Payload_is_the_events_own_json_verbatim()
    {
        const string json = """{ "type" : "message", """
            + """ "message":{"type":"text","id":"1","quoteToken":"q","text":"こんにちは \ud83d\ude00"},"""
            + """ "webhookEventId":"01HZYV","deliveryContext":{"isRedelivery":false},"timestamp":1,"""
            + """ "source":{"type":"user","userId":"U1"},"mode":"active" }""";
        var body = Encoding.UTF8.GetBytes($$"""{"destination":"U0","events":[ {{json}} ]}""");

        var e = Assert.Single(LineWebhookParser.Parse(body).Events);

        Assert.Equal(json, e.Payload);
        Assert.Equal("こんにちは 😀", e.Input.Text);
    }

    [Fact]
    public void Empty_events_array_gives_the_empty_body()
    {
        Assert.Same(ParsedBody.Empty, Parse());
    }

    [Fact]
    public void Hundred_event_body_is_split_in_order()
    {
        var users = Enumerable.Range(0, 100).Select(_ => LineFixtures.NewUserId()).ToArray();
        // About 70 KB in all, the size of a busy real body: each text carries some padding.
        var padding = string.Concat(Enumerable.Repeat("テキスト text ", 30));
        var events = users.Select((user, i) => LineFixtures.TextEvent(user, $"message {i} {padding}")).ToArray();
        var body = LineFixtures.Body(events);

        var parsed = LineWebhookParser.Parse(body);

        Assert.InRange(body.Length, 60_000, 100_000);
        Assert.Empty(parsed.Malformed);
        Assert.Equal(users, parsed.Events.Select(e => e.Conversation));
        Assert.Equal($"message 99 {padding}", parsed.Events[99].Input.Text);
        Assert.Equal(events, parsed.Events.Select(e => e.Payload));
        Assert.Equal(100, parsed.Events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(100, parsed.Events.Select(e => e.ReplyToken).Distinct().Count());
    }
}
