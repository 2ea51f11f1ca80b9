using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

// Fault injection for bench/soak.sh, off unless a --Faults:* option is given (bench/run.sh gives none):
//   --Faults:Record=FILE     append every accepted reply and push, and each recipient of an accepted multicast, to
//                            FILE as one JSON line (the soak's ground truth:
//                            what LINE would have delivered), flushed at once; read back on start, so a restarted fake
//                            still knows the reply tokens used and the retry keys accepted
//   --Faults:Rate429=P       answer 429 (with Retry-After: 1) to this share of requests, nothing accepted
//   --Faults:Rate5xx=P       answer 500 or 503, nothing accepted
//   --Faults:RateCut=P       read the request, then cut the connection without an answer, nothing accepted
//   --Faults:RateLate=P      accept (record), then answer only after --Faults:LateMs (default 3000): longer than the
//                            engine's RequestTimeout, so it gives up on a request that was in fact delivered
//   --Faults:Seed=N          the random choices' seed (default: a new one each start)
// GET /faults: what was injected since this process started, e.g. {"accepted":120,"429":14,"late":3}.
// LINE's own rules are kept: a push or multicast whose X-Line-Retry-Key was accepted before gets 409 and is not delivered again;
// a reply token is used once, a second reply with it gets 400 "Invalid reply token". Refused connections are the
// soak script's doing: it stops this process for a while.
internal static class Faults
{
    public static void UseFaults(this WebApplication app)
    {
        var options = FaultOptions.From(app.Configuration);
        if (!options.Enabled) return;
        var state = new FaultState(options);
        app.Lifetime.ApplicationStopped.Register(state.Dispose);
        app.MapGet("/faults", () => state.Counts);
        app.Use(async (http, next) =>
        {
            var endpoint = http.Request.Path.Value switch
            {
                "/v2/bot/message/reply" => "reply",
                "/v2/bot/message/push" => "push",
                "/v2/bot/message/multicast" => "multicast",
                _ => null,
            };
            if (endpoint is null || !HttpMethods.IsPost(http.Request.Method))
            {
                await next(http);
                return;
            }

            await state.HandleAsync(endpoint, http, next);
        });
    }
}

internal sealed record FaultOptions(
    string? Record, double Rate429, double Rate5xx, double RateCut, double RateLate, TimeSpan Late, int? Seed)
{
    public bool Enabled => Record is not null || Rate429 + Rate5xx + RateCut + RateLate > 0;

    public static FaultOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Faults");
        return new FaultOptions(section["Record"], section.GetValue("Rate429", 0.0), section.GetValue("Rate5xx", 0.0),
            section.GetValue("RateCut", 0.0), section.GetValue("RateLate", 0.0),
            TimeSpan.FromMilliseconds(section.GetValue("LateMs", 3000)), section.GetValue<int?>("Seed"));
    }
}

internal sealed class FaultState : IDisposable
{
    private readonly FaultOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _usedTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _acceptedKeys = new(StringComparer.Ordinal);
    private readonly StreamWriter? _record;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public FaultState(FaultOptions options)
    {
        _options = options;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        if (options.Record is { } path)
        {
            foreach (var line in File.Exists(path) ? File.ReadLines(path) : [])
            {
                var json = JsonNode.Parse(line)!;
                if ((string?)json["replyToken"] is { } token) _usedTokens.Add(token);
                if ((string?)json["retryKey"] is { } key) _acceptedKeys.Add(key);
            }

            _record = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        }
    }

    public async Task HandleAsync(string endpoint, HttpContext http, RequestDelegate next)
    {
        http.Request.EnableBuffering(); // the multicast endpoint reads the body again (its recipient count)
        var request = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        http.Request.Body.Position = 0;
        var token = (string?)request?["replyToken"];
        var retryKey = http.Request.Headers["X-Line-Retry-Key"].ToString() is { Length: > 0 } k ? k : null;
        double roll;
        lock (_gate) roll = _random.NextDouble();

        if ((roll -= _options.Rate429) < 0)
        {
            http.Response.Headers.RetryAfter = "1";
            await Answer(http, 429, "Too Many Requests", "429");
            return;
        }

        if ((roll -= _options.Rate5xx) < 0)
        {
            await Answer(http, roll < -_options.Rate5xx / 2 ? 500 : 503, "Internal error", "5xx");
            return;
        }

        if ((roll -= _options.RateCut) < 0)
        {
            Count("cut");
            http.Abort();
            return;
        }

        var late = (roll -= _options.RateLate) < 0;
        bool fresh;
        lock (_gate)
        {
            fresh = endpoint == "reply" ? token is not null && _usedTokens.Add(token) : retryKey is null || _acceptedKeys.Add(retryKey);
            if (fresh) Record(endpoint, request, token, retryKey, late);
        }

        if (!fresh)
        {
            await (endpoint == "reply"
                ? Answer(http, 400, "Invalid reply token", "invalid-token")
                : Answer(http, 409, "The retry key is already accepted", "409"));
            return;
        }

        if (late)
        {
            Count("late");
            await Task.Delay(_options.Late, CancellationToken.None);
        }

        Count("accepted");
        await next(http);
    }

    private void Record(string endpoint, JsonNode? request, string? token, string? retryKey, bool late)
    {
        if (_record is null) return;
        var texts = request?["messages"]?.AsArray().Select(m => (string?)m?["text"] ?? "").ToArray() ?? [];
        string?[] recipients = endpoint == "multicast"
            ? [.. request?["to"]?.AsArray().Select(r => (string?)r) ?? []]
            : [(string?)request?["to"]];
        foreach (var to in recipients)
        {
            var line = new JsonObject
            {
                ["at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["endpoint"] = endpoint,
                ["to"] = to,
                ["replyToken"] = token,
                ["retryKey"] = retryKey,
                ["late"] = late,
                ["texts"] = new JsonArray([.. texts.Select(t => (JsonNode?)t)]),
            };
            _record.WriteLine(line.ToJsonString());
        }

        _record.Flush();
    }

    public IReadOnlyDictionary<string, int> Counts => _counts.ToDictionary();

    public void Dispose()
    {
        lock (_gate) _record?.Dispose();
    }

    private void Count(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    private Task Answer(HttpContext http, int status, string message, string what)
    {
        Count(what);
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { message });
    }
}
