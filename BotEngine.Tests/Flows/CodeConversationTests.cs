using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Flows;
using BotEngine.Flows.Code;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Tests.Flows;

public sealed class CodeConversationTests
{
    [Fact]
    public void Quiz_written_in_csharp_re_asks_bad_answers_and_scores_in_a_delegate()
    {
        var bot = new FlowBot(new QuizConversation().Build());
        var state = BotState.Initial;
        string Say(string text)
        {
            var decision = bot.Decide(state, new ConversationInput(ConversationInput.TextKind, text));
            state = decision.State;
            return Assert.Single(decision.Messages).Text;
        }

        Assert.StartsWith("Question 1/3", Say("quiz"), StringComparison.Ordinal);
        Assert.Equal("Please pick one of the buttons.", Say("Pluto"));
        Say("jupiter");
        Say("8");
        Assert.Contains("#5", Say("count"), StringComparison.Ordinal);

        Assert.Equal("You scored 2/3. Send \"quiz\" to play again.", Say("Oxygen"));
    }

    [Fact]
    public void Code_flow_can_call_a_registered_step_and_is_validated_like_a_file()
    {
        var flow = new FlowBuilder("hello", 1)
            .State("start", s => s.On(Triggers.Any, t => t.Call("booking-reference", "reference").Say(Messages.Text("{reference}"))))
            .Build();

        var decision = new FlowBot(flow, [new BotEngine.Flows.Demo.BookingReferenceStep()])
            .Decide(BotState.Initial, new ConversationInput(ConversationInput.TextKind, "hi"));

        Assert.StartsWith("BK-", decision.Messages.Single().Text, StringComparison.Ordinal);
        var broken = new FlowBuilder("broken", 1).State("start", s => s.On(Triggers.Any, t => t.Goto("nowhere"))).Build();
        var error = Assert.Throws<FlowLoadException>(() => new FlowBot(broken));
        Assert.Contains("transition to nowhere", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_check_exits_0_on_the_repo_flows_and_1_with_positions_on_a_broken_folder()
    {
        using var output = new StringWriter();
        Assert.Equal(0, FlowsCommand.Run(["flows", "check", FlowText.RepoFlows], output));
        Assert.Contains("OK", output.ToString(), StringComparison.Ordinal);

        using var folder = new Support.TempDirectory();
        File.WriteAllText(folder.File("bad.json"), "{\n  \"id\": \"x\",\n  oops\n}");
        using var errors = new StringWriter();
        Assert.Equal(1, FlowsCommand.Run(["flows", "check", folder.Path], errors));
        Assert.Matches(@"bad\.json:3:3: JSON syntax", errors.ToString());
    }

    [Fact]
    public void Start_state_of_a_new_conversation_is_the_flow_start_even_when_not_named_start()
    {
        var flow = FlowText.Parse("""
            { "id": "x", "version": 1, "start": "hello", "fallback": "hello",
              "states": { "hello": { "on": [ { "on": { "any": true }, "say": "hi from {flow.id}" } ] } } }
            """);

        var decision = new FlowBot(flow).Decide(BotState.Initial, new ConversationInput(ConversationInput.TextKind, "yo"));

        Assert.Equal(("hello", "hi from x"), (decision.State.Step, decision.Messages.Single().Text));
        Assert.Equal(Trigger.Any, flow.States["hello"].Transitions[0].On.Kind);
    }
}
