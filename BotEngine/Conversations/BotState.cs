namespace BotEngine.Conversations;

/// <summary>
/// Where a conversation stands: the current step's name and string variables. Immutable: every change returns a
/// copy. Persisted inside conversation events and snapshots (Persistence/Format/conversation_v1.proto).
/// </summary>
public sealed record BotState
{
    public const string StartStep = "start";

    // Never exposed for writing: every change returns a copy.
    private readonly Dictionary<string, string> _variables;

    public BotState(string step, IReadOnlyDictionary<string, string> variables)
    {
        Step = step;
        _variables = new Dictionary<string, string>(variables, StringComparer.Ordinal);
    }

    public static BotState Initial { get; } = new(StartStep, new Dictionary<string, string>());

    public string Step { get; init; }

    public IReadOnlyDictionary<string, string> Variables => _variables;

    public string? Get(string name) => _variables.GetValueOrDefault(name);

    public BotState With(string name, string value) => new(Step, new Dictionary<string, string>(_variables) { [name] = value });

    public BotState Without(string name)
    {
        var copy = new Dictionary<string, string>(_variables);
        copy.Remove(name);
        return new(Step, copy);
    }

    public BotState MoveTo(string step) => new(step, _variables);

    // Records compare collections by reference; two states with the same step and variables are the same state.
    public bool Equals(BotState? other) =>
        other is not null && Step == other.Step && _variables.Count == other._variables.Count
        && _variables.All(v => other._variables.TryGetValue(v.Key, out var value) && value == v.Value);

    public override int GetHashCode() => HashCode.Combine(Step, _variables.Count);
}
