using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Flows.Code;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Tests.Flows;

/// <summary>The C# conversation shown in README.md, kept compiling and working here.</summary>
public sealed class ReadmeExampleTests
{
    // --- as in README.md ---
    internal sealed class Hello : ICodeConversation
    {
        public string Name => "hello";

        public FlowDefinition Build() => new FlowBuilder("hello", version: 1)
            .Start("new").Fallback("new")
            .State("new", s => s.On(Triggers.Any, t => t.Goto("ask")))
            .State("ask", s => s
                .Say(Messages.Text("What is your name?"))
                .Capture("name", CaptureSpec.TextType, Messages.Text("Your name, please?"), t => t.Goto("done")))
            .State("done", s => s
                .Say(Messages.Text("Nice to meet you, {name}!", "again"))
                .On(Triggers.Text("again"), t => t.Clear().Goto("ask"))
                .Timeout(TimeSpan.FromMinutes(10), t => t.Say(Messages.Text("Still there, {name}?"))))
            .Build();
    }
    // --- end ---

    [Fact]
    public void The_readme_conversation_captures_a_name_and_greets_with_it()
    {
        var bot = new FlowBot(new Hello().Build());

        var asked = bot.Decide(BotState.Initial, new ConversationInput(ConversationInput.TextKind, "hi"));
        Assert.Equal("What is your name?", Assert.Single(asked.Messages).Text);
        var greeted = bot.Decide(asked.State, new ConversationInput(ConversationInput.TextKind, "Aiko"));

        Assert.Equal("Nice to meet you, Aiko!", Assert.Single(greeted.Messages).Text);
        Assert.Equal("done", greeted.State.Step);
        Assert.Contains(greeted.Timers ?? [], t => t.After == TimeSpan.FromMinutes(10));
    }
}
