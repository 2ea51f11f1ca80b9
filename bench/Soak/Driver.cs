using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

internal static class Driver
{
    // A body that cannot be delivered for this long (the engine never came back) ends the run with an error.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(Args a)
    {
        var url = a.Get("--url").TrimEnd('/') + "/webhooks/line";
        var key = Encoding.UTF8.GetBytes(a.Get("--secret"));
        int users = a.Int("--users", 200), parallel = a.Int("--parallel", 4), perBody = a.Int("--events", 5);
        var pause = TimeSpan.FromMilliseconds(a.Int("--pause-ms", 200));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(a.Int("--seconds", 60));
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var output = new StreamWriter(a.Get("--out"), append: true, new UTF8Encoding(false));
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();

        var workers = Enumerable.Range(0, parallel).Select(w => Task.Run(async () =>
        {
            var mine = Enumerable.Range(0, users).Where(u => u % parallel == w).Select(u => $"U{run}{u:x24}").ToArray();
            var counts = mine.ToDictionary(u => u, _ => 0, StringComparer.Ordinal);
            while (DateTime.UtcNow < until)
            {
                var chosen = mine.OrderBy(_ => Random.Shared.Next()).Take(Math.Min(perBody, mine.Length)).ToArray();
                var events = chosen.Select(u => (Id: Ulid(), User: u, N: counts[u] + 1, Token: Hex(16))).ToArray();
                var body = Body(events.Select(e => Event(e.Id, e.User, e.Token)));
                var signature = Convert.ToBase64String(HMACSHA256.HashData(key, body));
                await PostUntilAcceptedAsync(http, url, body, signature, outcomes);
                foreach (var e in events) counts[e.User] = e.N;
                lock (output)
                {
                    foreach (var e in events) output.WriteLine($"{e.Id}\t{e.User}\t{e.N}\t{e.Token}");
                    output.Flush();
                }

                await Task.Delay(pause); // a steady rate: the soak is about faults, not throughput (bench/run.sh)
            }

            return counts.Values.Sum();
        })).ToArray();

        var sent = (await Task.WhenAll(workers)).Sum();
        Console.WriteLine($"drive: {sent} events acknowledged in {clock.Elapsed.TotalSeconds:F0} s; answers to posts: "
            + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
        return 0;
    }

    private static async Task PostUntilAcceptedAsync(
        HttpClient http, string url, byte[] body, string signature, ConcurrentDictionary<string, int> outcomes)
    {
        var giveUp = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            string outcome;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.TryAddWithoutValidation("X-Line-Signature", signature);
                using var response = await http.SendAsync(request);
                outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                outcome = "no answer";
            }

            outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            if (outcome == "200") return;
            if (DateTime.UtcNow > giveUp) throw new TimeoutException($"no 200 for a body within {GiveUpAfter}");
            await Task.Delay(200); // the engine restarts in about a second; LINE itself retries far slower
        }
    }

    private static byte[] Body(IEnumerable<string> events) =>
        Encoding.UTF8.GetBytes($"{{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[{string.Join(',', events)}]}}");

    private static string Event(string id, string user, string token) =>
        $$"""{"type":"message","message":{"type":"text","id":"{{Hex(8)}}","quoteToken":"q","text":"count"},"webhookEventId":"{{id}}","deliveryContext":{"isRedelivery":false},"timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"source":{"type":"user","userId":"{{user}}"},"replyToken":"{{token}}","mode":"active"}""";

    private static string Ulid() => "01" + Hex(12).ToUpperInvariant();

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
