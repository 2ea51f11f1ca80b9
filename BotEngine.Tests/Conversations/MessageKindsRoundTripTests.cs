using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Tests.Conversations.Upgrade;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Conversations;

/// <summary>
/// Every message kind a flow sends, and timers set and cancelled, read back from the journal after the actor was
/// stopped: by its idle timeout, and by a restart of the engine. Regression: quick replies were persisted as a C#
/// collection-expression type that Akka's default JSON serializer could not construct on replay, so any user who
/// was once sent quick replies was never answered again after an idle stop.
/// </summary>
public sealed class MessageKindsRoundTripTests : EngineTest
{
    // help: quick replies; book: text; date: quick replies; 4: confirm template with postback actions; yes: postback;
    // menu: buttons template; remind=yes: a timer set; reset: a timer cancelled and quick replies.
    private static readonly (string Kind, string Value)[] Script =
    [
        ("text", "help"), ("text", "book"), ("text", "2026-12-24"), ("text", "4"), ("postback", "booking=yes"),
        ("text", "menu"), ("postback", "remind=yes"), ("text", "reset"),
    ];

    private static readonly (string Key, string Value)[] Settings =
        [("BotEngine:ConversationIdleTimeout", "00:00:00.300"), ("BotEngine:ConversationTimeout", "00:00:05")];

    [Fact]
    public Task Every_message_kind_and_timer_survives_an_idle_stop() => RoundTripAsync(restart: false);

    [Fact]
    public Task Every_message_kind_and_timer_survives_a_restart() => RoundTripAsync(restart: true);

    private async Task RoundTripAsync(bool restart)
    {
        UpgradeFixture.CopyFlows(Data.Path);
        Start(Settings);
        var users = Enumerable.Range(0, 3).Select(_ => LineFixtures.NewUserId()).ToList();
        var eventIds = users.ToDictionary(u => u, _ => Script.Select(_ => LineFixtures.NewEventId()).ToArray());
        for (var i = 0; i < Script.Length; i++)
        {
            await PostAsync(users.Select(u => Event(u, Script[i], eventIds[u][i])).ToArray());
        }

        await Line.WaitForAcceptedAsync(users.Count * Script.Length, Deadline);
        await SettledAsync();
        if (restart) await RestartAsync(Settings);
        else await Conversing.AllIdleAsync(App, Deadline);

        foreach (var user in users)
        {
            var key = new ConversationKey(LineChannel.Id, user);
            var inputs = Script.Select(s => Input(user, s)).ToList();
            var expected = Conversing.Fold(App, inputs);
            var view = await Conversing.ViewAsync(App, key);
            Assert.Equal(expected[^1].State.Step, view.Step);
            Assert.Equal(expected[^1].State.Variables.OrderBy(v => v.Key), view.Variables.OrderBy(v => v.Key));
            for (var i = 0; i < Script.Length; i++)
            {
                var remembered = await Conversing.RememberedAsync(App, key, eventIds[user][i], inputs[i]);
                Assert.Equal(Conversing.Describe(expected[i].Messages, expected[i].Timers),
                    Conversing.Describe(remembered.Messages, remembered.Timers));
            }
        }

        Assert.Contains(Script, s => s.Kind == "postback"); // the script covers postbacks, templates, quick replies and timers
        await PostAsync(users.Select(u => LineFixtures.TextEvent(u, "count")).ToArray());
        await Line.WaitForAcceptedAsync(users.Count * (Script.Length + 1), Deadline);
        var texts = Script.Count(s => s.Kind == "text") + 1;
        foreach (var user in users)
        {
            Assert.Contains($"#{texts}", Line.Accepted.Last(a => a.IsTo(user, App.Queue)).Text, StringComparison.Ordinal);
        }
    }

    private static string Event(string user, (string Kind, string Value) step, string eventId) => step.Kind == "text"
        ? LineFixtures.TextEvent(user, step.Value, eventId)
        : LineFixtures.PostbackEvent(user, step.Value, eventId);

    private static ConversationInput Input(string user, (string Kind, string Value) step) => step.Kind == "text"
        ? new(ConversationInput.TextKind, Text: step.Value, UserId: user)
        : new(ConversationInput.PostbackKind, Data: step.Value, UserId: user);
}
