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
                .On(Triggers.Any, t => t.Say(Messages.Text("You said \"{input}\", {name}. Send \"again\" to start over.", "again")))
                .Timeout(TimeSpan.FromMinutes(10), t => t.Say(Messages.Text("Still there, {name}?"))))
            .Build();
    }
    // --- end ---

    public static TheoryData<string> Versions => ["C#", "JSON"];

    [Theory]
    [MemberData(nameof(Versions))]
    public void The_readme_conversation_greets_answers_any_text_and_starts_again(string version)
    {
        var bot = version == "C#" ? new FlowBot(new Hello().Build()) : new FlowBot(FlowText.Parse(ReadmeJson()));
        var asked = bot.Decide(BotState.Initial, Text("hi"));
        var greeted = bot.Decide(asked.State, Text("Aiko"));

        var chatted = bot.Decide(greeted.State, Text("thanks"));
        var again = bot.Decide(chatted.State, Text("again"));

        Assert.Equal("Nice to meet you, Aiko!", Assert.Single(greeted.Messages).Text);
        Assert.Equal("You said \"thanks\", Aiko. Send \"again\" to start over.", Assert.Single(chatted.Messages).Text);
        Assert.Equal("done", chatted.State.Step);
        Assert.Equal(("What is your name?", "ask"), (Assert.Single(again.Messages).Text, again.State.Step));
    }

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

    private static ConversationInput Text(string text) => new(ConversationInput.TextKind, text);

    // The flow file shown in README.md ("Writing a conversation").
    private static string ReadmeJson()
    {
        var readme = File.ReadAllText(Path.Combine(BotEngine.Tests.Deployment.InstallScript.RepoRoot, "README.md"));
        var start = readme.IndexOf("```json\n{\n  \"$schema\"", StringComparison.Ordinal) + "```json\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }
}
