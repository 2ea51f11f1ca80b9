using System.Collections.Immutable;

namespace BotEngine.Conversations;

/// <summary>
/// Where a conversation stands: the current step's name and string variables. Immutable.
/// Persisted (inside conversation events and snapshots): never rename or move; add members with defaults.
/// </summary>
public sealed record BotState(string Step, ImmutableSortedDictionary<string, string> Variables)
{
    public const string StartStep = "start";

    public static BotState Initial { get; } = new(StartStep, ImmutableSortedDictionary<string, string>.Empty);

    public string? Get(string name) => Variables.GetValueOrDefault(name);

    public BotState With(string name, string value) => this with { Variables = Variables.SetItem(name, value) };

    public BotState Without(string name) => this with { Variables = Variables.Remove(name) };

    public BotState MoveTo(string step) => this with { Step = step };

    // Records compare collections by reference; two states with the same step and variables are the same state.
    public bool Equals(BotState? other) =>
        other is not null && Step == other.Step && Variables.Count == other.Variables.Count
        && Variables.All(v => other.Variables.TryGetValue(v.Key, out var value) && value == v.Value);

    public override int GetHashCode() => HashCode.Combine(Step, Variables.Count);
}
