using BotEngine.Flows.Runtime;

namespace BotEngine.Flows.Model;

/// <summary>Where something was written: file, 1-based line and column. <see cref="None"/> for code-built flows.</summary>
public sealed record SourcePos(string File, int Line, int Column)
{
    public static SourcePos None { get; } = new("(code)", 0, 0);

    public override string ToString() => Line == 0 ? File : $"{File}:{Line}:{Column}";
}

/// <summary>
/// One conversation as a state machine, read from a flow file or built in C# with <see cref="Code.FlowBuilder"/>.
/// Immutable; <see cref="FlowBot"/> runs it.
/// </summary>
/// <param name="Id">The flow's name, selected by <c>Flows:Bot = flow:{Id}</c>.</param>
/// <param name="Version">Bumped by the author on each change; stored in each conversation's variables.</param>
/// <param name="Start">The state a new conversation is in.</param>
/// <param name="Fallback">Where a conversation goes when its state no longer exists (after a flow change).</param>
/// <param name="Commands">Global transitions, tried in every state (those on <c>any</c> are tried last).</param>
public sealed record FlowDefinition(
    string Id,
    int Version,
    string Start,
    string Fallback,
    IReadOnlyList<FlowTransition> Commands,
    IReadOnlyDictionary<string, FlowState> States,
    SourcePos Pos)
{
    /// <summary>Steps given as C# delegates by a code-built flow; file flows call steps from DI.</summary>
    public IReadOnlyDictionary<string, IFlowStep> CodeSteps { get; init; } = new Dictionary<string, IFlowStep>();

    /// <summary>Where the <c>start</c> value was written (errors about it point there); null for code-built flows.</summary>
    public SourcePos? StartPos { get; init; }

    /// <summary>Where the <c>fallback</c> value was written.</summary>
    public SourcePos? FallbackPos { get; init; }
}

/// <summary>A state: what is said on entering it, what it reacts to, what it captures, when it times out.</summary>
public sealed record FlowState(
    string Name,
    IReadOnlyList<MessageSpec> Say,
    IReadOnlyList<FlowTransition> Transitions,
    CaptureSpec? Capture,
    StateTimeout? Timeout,
    SourcePos Pos);

/// <summary>What happens when <see cref="On"/> matches, in this order: set, clear, call, say, timers, goto.</summary>
/// <param name="Goto">The state to enter (its <c>say</c> is added and its timeout set); null stays without re-entering.</param>
/// <param name="Clear">Variables to remove; <c>["*"]</c> removes every variable the flow captured.</param>
public sealed record FlowTransition(
    Trigger On,
    IReadOnlyList<MessageSpec> Say,
    string? Goto,
    IReadOnlyDictionary<string, string> Set,
    IReadOnlyList<string> Clear,
    StepCall? Call,
    IReadOnlyList<TimerSpec> Remind,
    IReadOnlyList<string> Cancel,
    SourcePos Pos)
{
    public static FlowTransition Create(Trigger on, SourcePos pos) =>
        new(on, [], null, new Dictionary<string, string>(), [], null, [], [], pos);

    /// <summary>Where the <c>goto</c> value was written (a typo is reported there); null for code-built flows.</summary>
    public SourcePos? GotoPos { get; init; }
}

/// <summary>What a transition reacts to.</summary>
/// <param name="Kind">One of the <c>TriggerKind</c> constants.</param>
/// <param name="Values">Texts, keywords, a pattern, postback data, an event kind or a timer name.</param>
public sealed record Trigger(string Kind, IReadOnlyList<string> Values, SourcePos Pos)
{
    public const string Text = "text";
    public const string Keywords = "keywords";
    public const string Regex = "regex";
    public const string Postback = "postback";
    public const string Event = "event";
    public const string Timer = "timer";
    public const string Any = "any";

    public static IReadOnlyList<string> Kinds { get; } = [Text, Keywords, Regex, Postback, Event, Timer, Any];
}

/// <summary>Calls the C# step registered under <paramref name="Step"/>, which may set <paramref name="Sets"/>.</summary>
public sealed record StepCall(string Step, IReadOnlyList<string> Sets, SourcePos Pos);

/// <summary>Sets the conversation timer <paramref name="Name"/> to fire after <paramref name="After"/>.</summary>
public sealed record TimerSpec(string Name, TimeSpan After, SourcePos Pos);

/// <summary>After <paramref name="After"/> in the state with no input, <paramref name="Then"/> runs.</summary>
public sealed record StateTimeout(TimeSpan After, FlowTransition Then);

/// <summary>
/// Stores the user's next text in <paramref name="Into"/> when it is valid (then <paramref name="Then"/> runs),
/// else says <paramref name="Retry"/> and stays.
/// </summary>
/// <param name="Type"><c>text</c>, <c>number</c>, <c>date</c>, <c>choice</c> or <c>regex</c>.</param>
public sealed record CaptureSpec(
    string Into,
    string Type,
    IReadOnlyList<string> Choices,
    string? Pattern,
    decimal? Min,
    decimal? Max,
    IReadOnlyList<MessageSpec> Retry,
    FlowTransition Then,
    SourcePos Pos)
{
    public const string TextType = "text";
    public const string NumberType = "number";
    public const string DateType = "date";
    public const string ChoiceType = "choice";
    public const string RegexType = "regex";

    public static IReadOnlyList<string> Types { get; } = [TextType, NumberType, DateType, ChoiceType, RegexType];
}

/// <summary>A message to send; texts, labels and data may hold <c>{variable}</c> placeholders.</summary>
/// <param name="Template">A buttons or confirm template; <paramref name="Text"/> is its text.</param>
public sealed record MessageSpec(
    string Text, IReadOnlyList<ActionSpec> QuickReplies, TemplateSpec? Template, SourcePos Pos)
{
    public static MessageSpec OfText(string text) => new(text, [], null, SourcePos.None);
}

/// <summary>A button: sends <paramref name="Text"/> as the user's message, or postback <paramref name="Data"/>.</summary>
public sealed record ActionSpec(string Label, string? Text, string? Data, SourcePos Pos);

/// <summary><c>buttons</c> (1 to 4 actions) or <c>confirm</c> (exactly 2).</summary>
public sealed record TemplateSpec(string Kind, string? Title, IReadOnlyList<ActionSpec> Actions, SourcePos Pos);
