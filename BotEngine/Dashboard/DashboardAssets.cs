using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace BotEngine.Dashboard;

/// <summary>
/// The page, its script and the charting library, embedded in the binary (BotEngine.csproj, logical names
/// <c>dashboard/...</c>): nothing to find on disk in a single-file publish, nothing fetched from a CDN.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets = Load();

    public IResult Serve(HttpContext http, string path)
    {
        if (!_assets.TryGetValue(path, out var asset)) return Results.NotFound();
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = asset.ETag;
        headers.CacheControl = new CacheControlHeaderValue { NoCache = true }; // revalidate: an upgrade shows at once
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        return ifNoneMatch.Any(tag => tag.Compare(asset.ETag, useStrongComparison: false))
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexString(SHA256.HashData(content).AsSpan(0, 8))}\"");
            assets[name[Prefix.Length..]] = new Asset(content,
                ContentTypes.GetValueOrDefault(Path.GetExtension(name), "text/plain; charset=utf-8"), tag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, EntityTagHeaderValue ETag);
}
