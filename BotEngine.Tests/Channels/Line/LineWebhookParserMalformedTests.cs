using System.Text;
using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using static BotEngine.Tests.Channels.Line.LineEventSamples;

namespace BotEngine.Tests.Channels.Line;

public sealed class LineWebhookParserMalformedTests
{
    private const string User = $$"""{"type":"user","userId":"{{UserId}}"}""";
    private const string Text = """ "message":{"type":"text","id":"1","quoteToken":"q","text":"hi"} """;

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"events\":[")]
    [InlineData("{\"events\":[]} trailing")]
    [InlineData("{\"events\":[]}{\"events\":[]}")]
    public void Body_that_is_not_json_gives_one_malformed_entry_with_the_raw_text(string text)
    {
        var parsed = LineWebhookParser.Parse(Encoding.UTF8.GetBytes(text));

        Assert.Empty(parsed.Events);
        var bad = Assert.Single(parsed.Malformed);
        Assert.Equal((-1, null, text), (bad.Index, bad.EventId, bad.Payload));
        Assert.StartsWith("body is not JSON", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null", "body is not a JSON object")]
    [InlineData("[]", "body is not a JSON object")]
    [InlineData("{\"destination\":\"U0\"}", "body has no 'events' array")]
    [InlineData("{\"events\":{}}", "body property 'events' must be an array, got an object")]
    [InlineData("{\"events\":null}", "body property 'events' must be an array, got null")]
    public void Body_without_an_events_array_gives_one_malformed_entry(string text, string error)
    {
        var bad = Assert.Single(LineWebhookParser.Parse(Encoding.UTF8.GetBytes(text)).Malformed);

        Assert.Equal((-1, null, text, error), (bad.Index, bad.EventId, bad.Payload, bad.Error));
    }

    [Fact]
    public void Huge_garbage_body_is_kept_only_up_to_64_KiB_without_splitting_a_character()
    {
        // "xy" then 3-byte characters: byte 65,536 is the third byte of the character starting at byte 65,534.
        var text = "xy" + string.Concat(Enumerable.Repeat("日", 30_000));

        var bad = Assert.Single(LineWebhookParser.Parse(Encoding.UTF8.GetBytes(text)).Malformed);

        Assert.Equal(text[..21_846], bad.Payload);
        Assert.Equal(65_534, Encoding.UTF8.GetByteCount(bad.Payload));
    }

    [Fact]
    public void Broken_utf8_inside_one_event_dead_letters_only_that_event()
    {
        var badId = LineFixtures.NewEventId();
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(LineFixtures.Body(
            LineFixtures.TextEvent(UserId, "first"), LineFixtures.TextEvent(UserId, "BROKEN", badId),
            LineFixtures.TextEvent(UserId, "last"))));
        var at = body.AsSpan().IndexOf("BROKEN"u8);
        body[at] = 0xC3;     // a 2-byte lead ...
        body[at + 1] = 0x28; // ... followed by "(" instead of a continuation byte

        var parsed = LineWebhookParser.Parse(body);

        Assert.Equal(["first", "last"], parsed.Events.Select(e => e.Input.Text));
        var bad = Assert.Single(parsed.Malformed);
        Assert.Equal((1, badId), (bad.Index, bad.EventId));
        Assert.Contains("not valid UTF-8", bad.Error, StringComparison.Ordinal);
        Assert.Contains("\uFFFD(OKEN", bad.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_lone_surrogate_dead_letters_only_its_event()
    {
        var body = LineFixtures.Body(LineFixtures.TextEvent(UserId, "ok"), LineFixtures.TextEvent(UserId, "SURROGATE"));
        var text = Encoding.UTF8.GetString(body).Replace("SURROGATE", "\\ud800", StringComparison.Ordinal);

        var parsed = LineWebhookParser.Parse(Encoding.UTF8.GetBytes(text));

        Assert.Equal("ok", Assert.Single(parsed.Events).Input.Text);
        Assert.Contains("unreadable text", Assert.Single(parsed.Malformed).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deeply_nested_event_does_not_take_its_neighbours_with_it()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 5_000)) + string.Concat(Enumerable.Repeat("]", 5_000));
        var body = LineFixtures.Body(LineFixtures.TextEvent(UserId, "ok"), deep);

        var parsed = LineWebhookParser.Parse(body);

        Assert.Equal("ok", Assert.Single(parsed.Events).Input.Text);
        Assert.Contains("must be an object", Assert.Single(parsed.Malformed).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_with_a_byte_order_mark_is_parsed()
    {
        var body = Encoding.UTF8.Preamble.ToArray().Concat(LineFixtures.Body(LineFixtures.TextEvent(UserId, "hi")));

        Assert.Single(LineWebhookParser.Parse(body.ToArray()).Events);
    }

    [Fact]
    public void Malformed_event_among_good_neighbours_is_set_apart_with_its_index()
    {
        var broken = Common("message", User, "rt", Text).Replace("\"webhookEventId\":\"01HZY0000000000000000000AA\",", "",
            StringComparison.Ordinal);
        var events = new[]
        {
            LineFixtures.TextEvent(UserId, "zero", eventId: "E0"),
            broken,
            LineFixtures.TextEvent(UserId, "two", eventId: "E2"),
            LineFixtures.PostbackEvent(UserId, "three", eventId: "E3"),
        };

        var parsed = LineWebhookParser.Parse(LineFixtures.Body(events));

        Assert.Equal(["E0", "E2", "E3"], parsed.Events.Select(e => e.EventId));
        var bad = Assert.Single(parsed.Malformed);
        Assert.Equal((1, null, broken), (bad.Index, bad.EventId, bad.Payload));
        Assert.Equal("event 1: missing required property 'webhookEventId'", bad.Error);
    }

    [Fact]
    public void Malformed_event_keeps_its_event_id_when_readable()
    {
        var events = new[] { LineFixtures.TextEvent(UserId, "ok"), Common("message", null, "rt", Text, id: "E1") };

        var parsed = LineWebhookParser.Parse(LineFixtures.Body(events));

        Assert.Single(parsed.Events);
        var bad = Assert.Single(parsed.Malformed);
        Assert.Equal((1, "E1", "event 1: missing required property 'source'"), (bad.Index, bad.EventId, bad.Error));
    }

    [Fact]
    public void Unknown_event_type_is_malformed_and_kept()
    {
        var unknown = Common("xyz", User, "rt", """ "xyz":{"a":1} """, id: "EX");

        var bad = Assert.Single(LineWebhookParser.Parse(LineFixtures.Body(unknown)).Malformed);

        Assert.Equal((0, "EX", unknown), (bad.Index, bad.EventId, bad.Payload));
        Assert.Equal("event 0: unknown event type 'xyz'", bad.Error);
    }

    public static TheoryData<string, string> BrokenEvents => new()
    {
        { "42", "must be an object, got the number 42" },
        { """{"webhookEventId":7}""", "property 'webhookEventId' must be a string, got the number 7" },
        { """{"webhookEventId":""}""", "property 'webhookEventId' is empty" },
        { Common("message", User, "rt", Text).Replace("\"type\":\"message\",", "", StringComparison.Ordinal),
            "missing required property 'type'" },
        { Common("message", User, "rt", Text).Replace($"\"timestamp\":{Timestamp}", "\"timestamp\":\"1\"",
            StringComparison.Ordinal), "property 'timestamp' must be an integer, got a string" },
        { Common("message", User, "rt", Text).Replace($"\"timestamp\":{Timestamp}", "\"timestamp\":1.5",
            StringComparison.Ordinal), "property 'timestamp' must be an integer, got the number 1.5" },
        { Common("message", User, "rt", Text).Replace($"\"timestamp\":{Timestamp}", "\"timestamp\":1e300",
            StringComparison.Ordinal), "property 'timestamp' must be an integer, got the number 1e300" },
        { Common("message", User, "rt", Text).Replace($"\"timestamp\":{Timestamp}", "\"timestamp\":-9999999999999999",
            StringComparison.Ordinal), "property 'timestamp' is out of range: -9999999999999999" },
        { Common("message", User, "rt", Text).Replace(",\"mode\":\"active\"", "", StringComparison.Ordinal),
            "missing required property 'mode'" },
        { Common("message", User, "rt", Text, mode: "passive"),
            "property 'mode' must be 'active' or 'standby', got 'passive'" },
        { Common("message", "[]", "rt", Text), "property 'source' must be an object, got an array" },
        { Common("message", """{"type":"page","pageId":"P1"}""", "rt", Text), "unknown source type 'page'" },
        { Common("message", """{"type":"user"}""", "rt", Text), "missing required property 'source.userId'" },
        { Common("message", """{"type":"user","userId":""}""", "rt", Text), "property 'source.userId' is empty" },
        { Common("join", """{"type":"group"}""", "rt", null), "missing required property 'source.groupId'" },
        { Common("leave", """{"type":"room","roomId":5}""", null, null),
            "property 'source.roomId' must be a string, got the number 5" },
        { Common("message", User, "rt", null), "missing required property 'message'" },
        { Common("message", User, "rt", """ "message":{"type":"text","id":"1"} """),
            "missing required property 'message.text'" },
        { Common("message", User, "rt", """ "message":{"id":"1","text":"hi"} """),
            "missing required property 'message.type'" },
        { Common("message", User, "rt", """ "message":{"type":"image"} """), "missing required property 'message.id'" },
        { Common("postback", User, "rt", """ "postback":{} """), "missing required property 'postback.data'" },
        { Common("postback", User, "rt", """ "postback":"x" """), "property 'postback' must be an object, got a string" },
        { Common("follow", User, null, null)
            .Replace(",\"mode\"", ",\"replyToken\":true,\"mode\"", StringComparison.Ordinal),
            "property 'replyToken' must be a string, got a boolean" },
    };

    [Theory]
    [MemberData(nameof(BrokenEvents))]
    public void Event_with_a_missing_or_wrongly_typed_property_is_malformed(string json, string error)
    {
        var parsed = LineWebhookParser.Parse(LineFixtures.Body(LineFixtures.TextEvent(UserId, "before"), json));

        Assert.Single(parsed.Events);
        var bad = Assert.Single(parsed.Malformed);
        Assert.Equal((1, json, $"event 1: {error}"), (bad.Index, bad.Payload, bad.Error));
    }
}
