namespace BotEngine.Channels;

/// <summary>
/// A channel's own one-shot command (<c>botengine NAME …</c>), run instead of the server, e.g. registering the webhook
/// with the platform. <paramref name="Usage"/>: its lines of <c>--help</c>.
/// </summary>
internal sealed record ChannelCommand(string Name, string Usage, Func<string[], TextWriter, TextWriter, int> Run);
