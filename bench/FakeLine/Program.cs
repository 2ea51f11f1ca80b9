using System.Globalization;

// Answers reply and push with 200 after --DelayMs (default 0), counts the answers it accepted.
// GET /count: accepted answers so far; POST /reset sets it back to 0.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("DelayMs", 0));
var app = builder.Build();
var counter = new Accepted();
app.UseFaults(); // bench/soak.sh's faults (Faults.cs); off unless --Faults:* options are given

app.MapPost("/v2/bot/message/reply", (CancellationToken ct) => AcceptAsync(counter, delay, ct));
app.MapPost("/v2/bot/message/push", (CancellationToken ct) => AcceptAsync(counter, delay, ct));
app.MapGet("/count", () => counter.Count.ToString(CultureInfo.InvariantCulture));
app.MapPost("/reset", () => counter.Reset());
app.Run();

static async Task<IResult> AcceptAsync(Accepted counter, TimeSpan delay, CancellationToken ct)
{
    if (delay > TimeSpan.Zero)
    {
        await Task.Delay(delay, ct);
    }

    counter.Add();
    return Results.Text("""{"sentMessages":[{"id":"1","quoteToken":"q"}]}""", "application/json");
}

internal sealed class Accepted
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add() => Interlocked.Increment(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);
}
