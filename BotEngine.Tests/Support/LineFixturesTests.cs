using System.Text.Json;
using BotEngine.Channels.Line;

namespace BotEngine.Tests.Support;

public sealed class LineFixturesTests
{
    [Fact]
    public void New_event_ids_are_unique_ulids()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => LineFixtures.NewEventId()).ToArray();

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", id));
        // The first 10 characters are the time in milliseconds; this is 2020..2100, not a random or zero prefix.
        Assert.InRange(string.CompareOrdinal(ids[0][..10], "01DXF6DT00"), 1, int.MaxValue);
        Assert.InRange(string.CompareOrdinal(ids[0][..10], "03QCPC7P00"), int.MinValue, -1);
    }

    [Fact]
    public void Body_is_a_callback_request_with_the_events_in_order()
    {
        var (a, b) = (LineFixtures.TextEvent("U1", "a"), LineFixtures.FollowEvent("U2"));

        using var json = JsonDocument.Parse(LineFixtures.Body(a, b));

        Assert.Matches("^U[0-9a-f]{32}$", json.RootElement.GetProperty("destination").GetString());
        Assert.Equal([a, b], json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetRawText()));
    }

    [Fact]
    public void Builders_fill_in_fresh_ids_and_tokens_unless_given()
    {
        var given = JsonDocument.Parse(LineFixtures.TextEvent("U1", "hi", "E1", "R1", redelivery: true,
            mode: "standby", timestampMs: 42)).RootElement;
        var fresh = Enumerable.Range(0, 2).Select(_ => JsonDocument.Parse(LineFixtures.TextEvent("U1", "hi")).RootElement)
            .ToArray();

        Assert.Equal(("E1", "R1", true, "standby", 42L), (given.GetProperty("webhookEventId").GetString(),
            given.GetProperty("replyToken").GetString(),
            given.GetProperty("deliveryContext").GetProperty("isRedelivery").GetBoolean(),
            given.GetProperty("mode").GetString(), given.GetProperty("timestamp").GetInt64()));
        Assert.NotEqual(fresh[0].GetProperty("webhookEventId").GetString(),
            fresh[1].GetProperty("webhookEventId").GetString());
        Assert.NotEqual(fresh[0].GetProperty("replyToken").GetString(), fresh[1].GetProperty("replyToken").GetString());
    }

    [Fact]
    public void Sign_gives_a_header_the_verifier_accepts()
    {
        var body = LineFixtures.Body(LineFixtures.GroupTextEvent(LineFixtures.NewGroupId(), "U1", "hi"));

        Assert.Equal(LineSignature.Sign("s3cret", body), LineFixtures.Sign("s3cret", body));
    }
}
