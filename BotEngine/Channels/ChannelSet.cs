using System.Text;

namespace BotEngine.Channels;

/// <summary>The registered channels by name: which parser splits a stored body, which names a lane may carry.</summary>
internal sealed class ChannelSet(IEnumerable<IChannel> channels)
{
    private readonly Dictionary<string, IChannel> _byName = channels.ToDictionary(c => c.Id.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<IChannel> All => _byName.Values;

    public bool IsKnown(string name) => _byName.ContainsKey(name);

    /// <summary>A stored body's events; a body no parser reads (or a parser bug) becomes one malformed event.</summary>
    public ParsedBody Parse(string channel, byte[] body) =>
        Guarded(channel, body, c => c.Parse(body));

    /// <summary>What a dead letter's stored payload reads as now (<see cref="IChannel.ParseStored"/>).</summary>
    public ParsedBody ParseStored(string channel, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Guarded(channel, bytes, c => c.ParseStored(bytes));
    }

    private ParsedBody Guarded(string channel, byte[] body, Func<IChannel, ParsedBody> parse)
    {
        if (!_byName.TryGetValue(channel, out var parser)) return Failed($"no parser for channel '{channel}'");
        try
        {
            return parse(parser);
        }
#pragma warning disable CA1031 // A parser bug must dead-letter the body, not stop the splitter for every body after it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed($"parser failed: {ex.GetType().Name}: {ex.Message}", body);
        }
    }

    private static ParsedBody Failed(string error, byte[]? body = null) =>
        new([], [new MalformedEvent(-1, null, body is null ? "" : Encoding.UTF8.GetString(body), error)]);
}
