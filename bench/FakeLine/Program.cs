using System.Globalization;
using System.Text.Json;

// Answers reply, push and multicast with 200 after --DelayMs (default 0) and counts what it accepted.
// GET /count: answers accepted so far (a multicast counts one per recipient); GET /requests: requests by endpoint,
// "reply=N push=N multicast=N"; POST /reset sets both back to 0. GET /timeline?since=UNIX_MS&bucket=MS: requests
// that arrived and answers accepted per bucket since then, "from_ms arrived accepted" lines (the burst's timeline).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("DelayMs", 0));
var app = builder.Build();
var counter = new Accepted();
app.UseFaults(); // bench/soak.sh's faults (Faults.cs); off unless --Faults:* options are given

app.MapPost("/v2/bot/message/reply", (CancellationToken ct) => AcceptAsync(counter, Endpoint.Reply, 1, delay, ct));
app.MapPost("/v2/bot/message/push", (CancellationToken ct) => AcceptAsync(counter, Endpoint.Push, 1, delay, ct));
app.MapPost("/v2/bot/message/multicast", async (HttpRequest request, CancellationToken ct) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
    var recipients = body.RootElement.TryGetProperty("to", out var to) ? to.GetArrayLength() : 0;
    return await AcceptAsync(counter, Endpoint.Multicast, recipients, delay, ct);
});
app.MapGet("/v2/bot/message/quota", () => Results.Text("""{"type":"none"}""", "application/json"));
app.MapGet("/v2/bot/message/quota/consumption", () => Results.Text("""{"totalUsage":0}""", "application/json"));
app.MapGet("/count", () => counter.Count.ToString(CultureInfo.InvariantCulture));
app.MapGet("/requests", () => counter.Requests());
app.MapPost("/reset", () => counter.Reset());
app.MapGet("/timeline", (long since, int? bucket) => counter.Timeline(since, bucket ?? 100));
app.Run();

static async Task<IResult> AcceptAsync(Accepted counter, Endpoint endpoint, int answers, TimeSpan delay, CancellationToken ct)
{
    counter.Arrived();
    if (delay > TimeSpan.Zero)
    {
        await Task.Delay(delay, ct);
    }

    counter.Add(endpoint, answers);
    return Results.Text("""{"sentMessages":[{"id":"1","quoteToken":"q"}]}""", "application/json");
}

internal enum Endpoint
{
    Reply,
    Push,
    Multicast,
}

internal sealed class Accepted
{
    private readonly long[] _requests = new long[3];
    // The timeline keeps the latest 200,000 arrivals and answers (a burst makes 10,000): a soak's millions do not pile up.
    private const int MaxKept = 200_000;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(long At, bool Accepted)> _times = new();
    private int _kept;
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(Endpoint endpoint, int answers)
    {
        Interlocked.Increment(ref _requests[(int)endpoint]);
        Interlocked.Add(ref _count, answers);
        Keep(true);
    }

    public void Arrived() => Keep(false);

    private void Keep(bool accepted)
    {
        _times.Enqueue((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), accepted));
        if (Interlocked.Increment(ref _kept) > MaxKept && _times.TryDequeue(out _)) Interlocked.Decrement(ref _kept);
    }

    public string Timeline(long since, int bucket)
    {
        var rows = new SortedDictionary<long, (int Arrived, int Accepted)>();
        foreach (var (at, accepted) in _times)
        {
            if (at < since) continue;
            var key = (at - since) / bucket * bucket;
            rows.TryGetValue(key, out var row);
            rows[key] = accepted ? (row.Arrived, row.Accepted + 1) : (row.Arrived + 1, row.Accepted);
        }

        return string.Join('\n', rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Key} {r.Value.Arrived} {r.Value.Accepted}"))) + "\n";
    }

    public string Requests() => string.Create(CultureInfo.InvariantCulture,
        $"reply={Interlocked.Read(ref _requests[0])} push={Interlocked.Read(ref _requests[1])} multicast={Interlocked.Read(ref _requests[2])}");

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        for (var i = 0; i < _requests.Length; i++) Interlocked.Exchange(ref _requests[i], 0);
    }
}
