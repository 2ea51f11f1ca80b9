namespace BotEngine.Channels.Line;

/// <summary>How LINE's calls are named in <c>botengine_outbound_calls_total{endpoint}</c>.</summary>
internal static class LineCallLabels
{
    private const string MessagePrefix = "/v2/bot/message/";

    private static readonly HashSet<string> Endpoints =
        new(["reply", "push", "multicast", "narrowcast", "broadcast", "quota", "quota/consumption"], StringComparer.Ordinal);

    /// <summary><c>reply</c>, <c>push</c>, ... from the path; anything else is <c>other</c>.</summary>
    public static string Endpoint(Uri? uri)
    {
        // HttpClient has made the address absolute (base address + relative path) before any handler runs.
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : "";
        var start = path.IndexOf(MessagePrefix, StringComparison.Ordinal);
        if (start < 0) return "other";
        var name = path[(start + MessagePrefix.Length)..].TrimEnd('/');
        return Endpoints.Contains(name) ? name : "other";
    }
}
