using static BotEngine.Tests.Channels.Messenger.MessengerFixtures;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>The demo booking flow through Messenger: quick replies and a confirm template, tapped by the user.</summary>
public sealed class MessengerButtonsTests : MessengerTest
{
    [Fact]
    public async Task Quick_replies_and_confirm_buttons_come_back_as_the_flows_text_and_postback()
    {
        await StartMessengerAsync();
        var user = NewPsid();

        await PostItemsAsync(Text(user, "book"));
        await Graph.WaitForSentAsync(1, Deadline);
        await PostItemsAsync(Text(user, "2026-05-31"));
        await Graph.WaitForSentAsync(2, Deadline);
        var people = Graph.Sent[1].Message["quick_replies"]!.AsArray();
        var two = people.Single(q => q!["title"]!.GetValue<string>() == "2")!;
        await PostItemsAsync(QuickReply(user, "2", two["payload"]!.GetValue<string>()));
        await Graph.WaitForSentAsync(3, Deadline);
        var template = Graph.Sent[2].Message["attachment"]!["payload"]!;
        var yes = template["buttons"]!.AsArray().Single(b => b!["title"]!.GetValue<string>() == "Yes")!;
        await PostItemsAsync(Postback(user, yes["payload"]!.GetValue<string>(), NewMid()));

        var sent = await SentWhenSettledAsync();
        Assert.Equal(4, sent.Count);
        Assert.Equal(5, people.Count);
        Assert.Equal("button", template["template_type"]!.GetValue<string>());
        Assert.Equal(2, template["buttons"]!.AsArray().Count);
        Assert.Contains("Book a table for 2 on 2026-05-31?", sent[2].Text, StringComparison.Ordinal);
        Assert.StartsWith("Booked: a table for 2 on 2026-05-31", sent[3].Text, StringComparison.Ordinal);
        Assert.Equal(0, App.Queue.DeadEvents);
    }
}
