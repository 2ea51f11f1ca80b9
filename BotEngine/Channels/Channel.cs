namespace BotEngine.Channels;

/// <summary>
/// A chat platform's id: its lowercase name. Each channel's folder owns its one (<c>LineChannel.Id</c>, …). The name is
/// stored in <c>queue.db</c> (<c>bodies.channel</c>, <c>events.channel</c>, the lane prefix), in persistence ids and
/// in metric labels, so a channel's name never changes.
/// </summary>
public readonly record struct Channel
{
    public const int MaxLength = 32;

    public Channel(string name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, "A channel name is 1 to 32 lowercase letters or digits");
        }

        Name = name;
    }

    public string Name { get; }

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    public override string ToString() => Name;
}
