using System.Globalization;
using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Flows.Code;

/// <summary>
/// The second demo (<c>Flows:Bot = code:quiz</c>): a three-question quiz written in C# on the flow runtime. It keeps
/// the contract's ping/count, captures each answer as a choice with a re-ask, and scores in a C# delegate.
/// </summary>
internal sealed class QuizConversation : ICodeConversation
{
    private static readonly (string Question, string[] Choices, string Answer)[] Questions =
    [
        ("Which planet is the largest?", ["Mars", "Jupiter", "Venus"], "Jupiter"),
        ("How many legs does a spider have?", ["6", "8", "10"], "8"),
        ("Which gas do plants take in?", ["Oxygen", "Nitrogen", "CO2"], "CO2"),
    ];

    public string Name => "quiz";

    public FlowDefinition Build()
    {
        var flow = new FlowBuilder("quiz", version: 1)
            .Command(Triggers.Text("ping"), t => t.Say(Messages.Text("pong")))
            .Command(Triggers.Text("count"), t => t.Say(Messages.Text("You have sent {texts} messages (#{texts}).")))
            .Command(Triggers.Text("reset", "quiz"), t => t.Clear().Goto("q1"))
            .Command(Triggers.Any, t => t.Say(Messages.Text("Send \"quiz\" to start the quiz.", "quiz")))
            .State("idle", s => s.On(Triggers.Event("follow"), t => t.Say(Messages.Text("Hi! Send \"quiz\" for three questions.", "quiz"))));
        for (var i = 0; i < Questions.Length; i++)
        {
            var (question, choices, _) = Questions[i];
            var last = i == Questions.Length - 1;
            var number = i + 1;
            flow.State($"q{number}", s => s
                .Say(Messages.Text($"Question {number}/{Questions.Length}: {question}", choices))
                .Capture($"a{number}", CaptureSpec.ChoiceType, Messages.Text("Please pick one of the buttons.", choices),
                    t => (last ? t.Run("quiz-score", Score, "score") : t).Goto(last ? "result" : $"q{number + 1}"),
                    choices: choices));
        }
        return flow
            .State("result", s => s.Say(Messages.Text("You scored {score}/3. Send \"quiz\" to play again.", "quiz")))
            .Start("idle")
            .Build();
    }

    /// <summary>Pure C#: one point per right answer.</summary>
    public static FlowStepResult Score(BotState state, ConversationInput input)
    {
        var score = Questions.Select((q, i) => state.Get($"a{i + 1}") == q.Answer ? 1 : 0).Sum();
        return new FlowStepResult(state.With("score", score.ToString(CultureInfo.InvariantCulture)));
    }
}
