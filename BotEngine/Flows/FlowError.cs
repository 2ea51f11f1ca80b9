using BotEngine.Flows.Model;

namespace BotEngine.Flows;

/// <summary>One problem in a flow, where it was written and what is wrong.</summary>
public sealed record FlowError(SourcePos Pos, string Message)
{
    public override string ToString() => $"{Pos}: {Message}";
}

/// <summary>Thrown at start-up when the flows do not load: the engine must not take webhooks with a broken flow.</summary>
public sealed class FlowLoadException(IReadOnlyList<FlowError> errors)
    : Exception("The flows have errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<FlowError> Errors { get; } = errors;
}
