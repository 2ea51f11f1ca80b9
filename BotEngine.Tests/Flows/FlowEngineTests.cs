using BotEngine.Flows;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Flows;

/// <summary>Flows inside the whole engine: LINE webhook in, Messaging API out.</summary>
public sealed class FlowEngineTests : EngineTest
{
    [Fact]
    public async Task Booking_through_the_engine_sends_quick_replies_a_confirm_template_and_takes_the_postback()
    {
        Start();
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "book"), LineFixtures.TextEvent(user, "2026-05-31"),
            LineFixtures.TextEvent(user, "4"), LineFixtures.PostbackEvent(user, "booking=yes"));
        var sent = await SettledAsync();

        Assert.Equal(["text", "text", "template", "text"], sent.Select(m => m.Type));
        Assert.Equal(5, sent[1].Message["quickReply"]!["items"]!.AsArray().Count);
        Assert.Equal("confirm", sent[2].Message["template"]!["type"]!.GetValue<string>());
        Assert.Equal("Book a table for 4 on 2026-05-31?", sent[2].Text);
        Assert.StartsWith("Booked: a table for 4 on 2026-05-31.", sent[3].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_flow_in_the_data_folder_stops_start_up_with_file_line_and_column()
    {
        Directory.CreateDirectory(Data.File("flows"));
        File.WriteAllText(Data.File("flows/booking.json"), """
            { "id": "booking", "version": 1, "start": "a", "fallback": "a",
              "states": { "a": { "on": [ { "on": { "any": true }, "goto": "b" } ] } } }
            """);

        var error = Assert.ThrowsAny<Exception>(() => Start());

        var load = Assert.IsType<FlowLoadException>(Unwrap(error));
        Assert.True(load.Message.Contains("booking.json:2:63: transition to nowhere", StringComparison.Ordinal), load.Message);
    }

    private static Exception Unwrap(Exception e) =>
        e is FlowLoadException || e.InnerException is null ? e : Unwrap(e.InnerException);
}
