using System.Globalization;
using System.Text.Json;

// Answers reply, push and multicast with 200 after --DelayMs (default 0) and counts what it accepted.
// GET /count: answers accepted so far (a multicast counts one per recipient); GET /requests: requests by endpoint,
// "reply=N push=N multicast=N"; POST /reset sets both back to 0.
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
app.Run();

static async Task<IResult> AcceptAsync(Accepted counter, Endpoint endpoint, int answers, TimeSpan delay, CancellationToken ct)
{
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
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(Endpoint endpoint, int answers)
    {
        Interlocked.Increment(ref _requests[(int)endpoint]);
        Interlocked.Add(ref _count, answers);
    }

    public string Requests() => string.Create(CultureInfo.InvariantCulture,
        $"reply={Interlocked.Read(ref _requests[0])} push={Interlocked.Read(ref _requests[1])} multicast={Interlocked.Read(ref _requests[2])}");

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        for (var i = 0; i < _requests.Length; i++) Interlocked.Exchange(ref _requests[i], 0);
    }
}
