namespace BotEngine.Channels;

/// <summary>A chat platform the engine talks to. Stored as its lowercase name; never renumber.</summary>
public enum Channel
{
    Line,
    Telegram,
    Dev,
    Messenger,
}

public static class ChannelNames
{
    public static string Name(this Channel channel) => channel switch
    {
        Channel.Line => "line",
        Channel.Telegram => "telegram",
        Channel.Dev => "dev",
        Channel.Messenger => "messenger",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    };

    public static Channel Parse(string name) => name switch
    {
        "line" => Channel.Line,
        "telegram" => Channel.Telegram,
        "dev" => Channel.Dev,
        "messenger" => Channel.Messenger,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown channel"),
    };
}
