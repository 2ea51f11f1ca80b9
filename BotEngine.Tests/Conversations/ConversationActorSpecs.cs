using Akka.Actor;
using Akka.TestKit.Xunit2;
using BotEngine.Channels;
using BotEngine.Channels.Dev;
using BotEngine.Conversations;
using BotEngine.Operations;
using BotEngine.Tests.Support;
using Xunit.Abstractions;
using static BotEngine.Tests.Conversations.ConversationStateTests;

namespace BotEngine.Tests.Conversations;

public sealed class ConversationActorSpecs(ITestOutputHelper output) : TestKit(InMemoryJournal, output)
{
    private static readonly string InMemoryJournal = InMemoryShards.Hocon;

    private static readonly ConversationKey Key = new(DevChannel.Id, "u1");
    private static readonly ConversationSettings Settings = new(TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Answers_after_the_event_was_persisted()
    {
        var actor = Sys.ActorOf(ConversationActor.Props(Key, new DemoBot(), Settings));
        actor.Tell(Count(1));
        Assert.Contains("#1", ExpectMsg<EventHandled>().Messages.Single().Text, StringComparison.Ordinal);

        // Killed right after the answer, a new incarnation still knows the event.
        await actor.GracefulStop(TimeSpan.FromSeconds(3));
        var again = Sys.ActorOf(ConversationActor.Props(Key, new DemoBot(), Settings));
        again.Tell(new GetConversation(Key));
        Assert.Equal("1", ExpectMsg<ConversationView>().Variables[DemoBot.TextsVariable]);
    }

    [Fact]
    public void Redelivered_event_is_answered_identically_without_a_second_step()
    {
        var actor = Sys.ActorOf(ConversationActor.Props(Key, new DemoBot(), Settings));
        actor.Tell(Count(1));
        var first = ExpectMsg<EventHandled>();
        actor.Tell(Count(1));
        var second = ExpectMsg<EventHandled>();
        actor.Tell(Count(2));

        Assert.Equal(first.Messages, second.Messages);
        Assert.Contains("#2", ExpectMsg<EventHandled>().Messages.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovers_its_count_when_stopped_and_recreated()
    {
        var settings = Settings with { SnapshotEvery = 2 }; // recovery from a snapshot plus the events after it
        var actor = Sys.ActorOf(ConversationActor.Props(Key, new DemoBot(), settings));
        for (var i = 1; i <= 5; i++) actor.Tell(Count(i));
        ReceiveN(5);
        await actor.GracefulStop(TimeSpan.FromSeconds(3));

        var again = Sys.ActorOf(ConversationActor.Props(Key, new DemoBot(), settings));
        again.Tell(Count(5)); // the last one is still remembered after recovery
        again.Tell(Count(6));

        Assert.Contains("#5", ExpectMsg<EventHandled>().Messages.Single().Text, StringComparison.Ordinal);
        Assert.Contains("#6", ExpectMsg<EventHandled>().Messages.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bot_failure_is_answered_with_a_status_failure_and_the_conversation_goes_on()
    {
        var actor = Sys.ActorOf(ConversationActor.Props(Key, new ThrowingBot(), Settings));
        actor.Tell(new HandleEvent(Key, 1, "e1", Text("boom")));
        Assert.IsType<InvalidOperationException>(ExpectMsg<Status.Failure>().Cause);

        actor.Tell(Count(2));
        Assert.Contains("#1", ExpectMsg<EventHandled>().Messages.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Idle_conversation_is_passivated_and_resumes_on_the_next_event()
    {
        var router = Sys.ActorOf(ConversationRouter.Props(new DemoBot(), new(TimeSpan.FromMilliseconds(200)), new ReplayFailures(new EngineMetrics())), "conversations");
        router.Tell(Count(1));
        ExpectMsg<EventHandled>();
        var child = LastSender;
        var watcher = CreateTestProbe();
        watcher.Watch(child);

        watcher.ExpectTerminated(child, TimeSpan.FromSeconds(5));
        router.Tell(Count(2));
        Assert.Contains("#2", ExpectMsg<EventHandled>().Messages.Single().Text, StringComparison.Ordinal);
        Assert.NotEqual(child, LastSender);
    }

    [Fact]
    public void Every_message_sent_while_a_child_passivates_is_answered_in_order()
    {
        const int Rounds = 6, PerRound = 50;
        var router = Sys.ActorOf(ConversationRouter.Props(new DemoBot(), Settings, new ReplayFailures(new EngineMetrics())), "conversations");
        router.Tell(Count(1));
        ExpectMsg<EventHandled>();
        var first = LastSender;
        var watcher = CreateTestProbe();
        watcher.Watch(first);

        // Each round the current incarnation asks to stop in the middle of a burst: the burst's head is already in
        // its mailbox ahead of the stop command, the tail is held by the router for the next incarnation.
        var n = 1;
        var current = first;
        for (var round = 0; round < Rounds; round++)
        {
            var from = n + 1;
            for (var i = 0; i < PerRound; i++)
            {
                if (i == PerRound / 2) router.Tell(Passivate.Instance, current);
                router.Tell(Count(++n));
            }

            var senders = new HashSet<IActorRef>();
            for (var i = from; i <= n; i++)
            {
                var handled = ExpectMsg<EventHandled>();
                senders.Add(LastSender);
                Assert.Equal($"e{i}", handled.EventId);
                Assert.Contains($"#{i})", handled.Messages.Single().Text, StringComparison.Ordinal);
            }
            Assert.Equal(2, senders.Count); // answered by the stopping incarnation and by the fresh one
            current = LastSender;
        }
        watcher.ExpectTerminated(first);
    }

    [Fact]
    public void Stop_all_answers_done_after_every_conversation_stopped()
    {
        var router = Sys.ActorOf(ConversationRouter.Props(new DemoBot(), Settings, new ReplayFailures(new EngineMetrics())), "conversations");
        router.Tell(Count(1));
        router.Tell(new HandleEvent(Key with { Id = "u2" }, 2, "e2", Text("ping")));
        ReceiveN(2);

        router.Tell(StopConversations.Instance);
        ExpectMsg<Akka.Done>();
        router.Tell(Count(3));
        ExpectMsg<Status.Failure>();
    }

    private static HandleEvent Count(int n) => new(Key, n, $"e{n}", Text("count"));

    private sealed class ThrowingBot : IBot
    {
        private readonly DemoBot _demo = new();

        public BotDecision Decide(BotState state, ConversationInput input) =>
            input.Text == "boom" ? throw new InvalidOperationException("bot bug") : _demo.Decide(state, input);
    }
}
