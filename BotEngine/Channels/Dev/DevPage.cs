using System.Collections.Concurrent;

namespace BotEngine.Channels.Dev;

/// <summary>The page's files, embedded in the assembly so a single-file publish needs nothing beside it.</summary>
internal static class DevPage
{
    private static readonly ConcurrentDictionary<string, byte[]> Files = new(StringComparer.Ordinal);

    public static IResult Serve(string file)
    {
        var bytes = Files.GetOrAdd(file, Load);
        var type = Path.GetExtension(file) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => "text/html; charset=utf-8",
        };
        return Results.Bytes(bytes, type);
    }

    private static byte[] Load(string file)
    {
        using var stream = typeof(DevPage).Assembly.GetManifestResourceStream($"channels/Dev/Page/{file}")
            ?? throw new InvalidOperationException($"The dev page file {file} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
