using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

// gen:  writes --bodies signed LINE bodies of --events text events each, about --bytes long, one per line as
//       "signature<TAB>body"; every event has its own user and its own webhookEventId. Users are random (a new
//       conversation each) unless --seed is given: then event k of the file is from user SHA-256(seed:k), so two
//       files made with one seed hold the same users in the same order (the second file: a second message each).
//       --texts a,b,c: event k of the file says text k mod 3 of the list (a, b, c) instead of "hello" and padding.
// post: posts every line of --file to --url, --concurrency at a time, and prints when the last 200 arrived and the
//       latency of each post (p50, p99 by nearest rank, max); with --count-url and --expect it then polls the fake
//       API's accepted-answer count until it grew by --expect.
var command = args.Length > 0 ? args[0] : "";
var a = new Args(args);
return command switch
{
    "gen" => Generator.Run(a),
    "post" => await Poster.RunAsync(a),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: BodyGen gen --secret S --out FILE --bodies N --events E --bytes B [--seed S]");
    Console.Error.WriteLine("       BodyGen post --url U --file F --concurrency C [--count-url U --expect N --timeout S]");
    return 2;
}

internal sealed class Args(string[] args)
{
    public string Get(string name, string? fallback = null)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1]
            : fallback ?? throw new ArgumentException($"missing {name}");
    }

    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)),
        CultureInfo.InvariantCulture);
}

internal static class Generator
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static int Run(Args a)
    {
        var key = Encoding.UTF8.GetBytes(a.Get("--secret"));
        int bodies = a.Int("--bodies", 1), events = a.Int("--events", 1), bytes = a.Int("--bytes", 1024);
        using var output = new StreamWriter(a.Get("--out"), false, new UTF8Encoding(false));
        var seed = a.Get("--seed", "");
        var texts = a.Get("--texts", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var pad = Math.Max(0, (bytes - Body(events, 0, _ => Hex(16), null).Length) / events);
        for (var i = 0; i < bodies; i++)
        {
            var first = i * events;
            var body = Body(events, pad, k => seed.Length == 0 ? Hex(16)
                : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{first + k}")))[..32],
                texts.Length == 0 ? null : k => texts[(first + k) % texts.Length]);
            output.Write(Convert.ToBase64String(HMACSHA256.HashData(key, body)));
            output.Write('\t');
            output.Write(Encoding.UTF8.GetString(body));
            output.Write('\n');
        }

        return 0;
    }

    private static byte[] Body(int events, int pad, Func<int, string> user, Func<int, string>? said)
    {
        var hello = "hello " + new string('x', pad);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var list = Enumerable.Range(0, events).Select(k => string.Create(CultureInfo.InvariantCulture, $$"""
            {"type":"message","message":{"type":"text","id":"{{RandomNumberGenerator.GetInt32(1, int.MaxValue)}}000000000","quoteToken":"{{Hex(18)}}","text":"{{said?.Invoke(k) ?? hello}}"},"webhookEventId":"{{EventId()}}","deliveryContext":{"isRedelivery":false},"timestamp":{{now}},"source":{"type":"user","userId":"U{{user(k)}}"},"replyToken":"{{Hex(16)}}","mode":"active"}
            """));
        return Encoding.UTF8.GetBytes(
            $$"""{"destination":"U0123456789abcdef0123456789abcdef","events":[{{string.Join(',', list)}}]}""");
    }

    private static string Hex(int n) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(n));

    private static string EventId() => string.Create(26, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = Crockford[RandomNumberGenerator.GetInt32(32)];
    });
}

internal static class Poster
{
    public static async Task<int> RunAsync(Args a)
    {
        var url = new Uri(a.Get("--url"));
        var lines = await File.ReadAllLinesAsync(a.Get("--file"));
        var concurrency = a.Int("--concurrency", 16);
        var countUrl = a.Get("--count-url", "");
        var expect = a.Int("--expect", 0);
        var timeout = TimeSpan.FromSeconds(a.Int("--timeout", 120));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency };
        using var http = new HttpClient(handler) { Timeout = timeout };
        var before = countUrl.Length > 0 ? await CountAsync(http, countUrl) : 0;

        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var next = -1;
        var failed = 0;
        var firstDone = double.MaxValue;
        var latencies = new double[lines.Length];
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < lines.Length)
            {
                var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(lines[i][(tab + 1)..]));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Add("X-Line-Signature", lines[i][..tab]);
                var sent = clock.Elapsed;
                using var response = await http.SendAsync(request);
                latencies[i] = (clock.Elapsed - sent).TotalMilliseconds;
                var done = clock.Elapsed.TotalMilliseconds;
                lock (latencies) firstDone = Math.Min(firstDone, done);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(workers);
        var all200 = clock.Elapsed.TotalMilliseconds;
        Array.Sort(latencies);
        var result = string.Create(CultureInfo.InvariantCulture,
            $"RESULT posted={lines.Length} non200={failed} start_unix_ms={startedAt} first200_ms={firstDone:F0} all200_ms={all200:F0} p50_ms={Percentile(latencies, 0.50):F0} p99_ms={Percentile(latencies, 0.99):F0} max_ms={latencies[^1]:F0}");

        if (countUrl.Length > 0 && expect > 0)
        {
            long accepted = 0;
            while (clock.Elapsed < timeout && (accepted = await CountAsync(http, countUrl) - before) < expect)
            {
                await Task.Delay(10);
            }

            result += string.Create(CultureInfo.InvariantCulture,
                $" accepted={accepted} accepted_ms={clock.Elapsed.TotalMilliseconds:F0}");
        }

        Console.WriteLine(result);
        return failed == 0 ? 0 : 1;
    }

    // Nearest rank: of 50 requests, p99 is the slowest but none (the 50th); max is the slowest.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<long> CountAsync(HttpClient http, string url) =>
        long.Parse(await http.GetStringAsync(new Uri(url)), CultureInfo.InvariantCulture);
}
