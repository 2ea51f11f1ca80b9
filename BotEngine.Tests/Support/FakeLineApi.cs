using Microsoft.AspNetCore.Builder;

namespace BotEngine.Tests.Support;

/// <summary>
/// LINE's Messaging API (reply, push, multicast, quota) on a real Kestrel socket at 127.0.0.1, port 0. It checks the
/// bearer token, validates bodies like the OpenAPI spec, burns reply tokens (and expires them, <see cref="ReplyTokenLife"/>),
/// deduplicates retry keys (409), bills pushes and multicasts per recipient against <see cref="QuotaLimit"/>, and records
/// what it accepted. Knobs: <see cref="Latency"/>, <see cref="FailureRate"/>, <see cref="Fail"/>,
/// <see cref="ExpireReplyTokens"/>, <see cref="RetryAfter"/>, <see cref="Script"/> (late answers, cut connections, 429s),
/// <see cref="GoOfflineAsync"/> (connections refused).
/// </summary>
public sealed partial class FakeLineApi : IAsyncDisposable
{
    public const string DefaultAccessToken = "fake-line-channel-access-token-0123456789";
    public const string Reply = "reply";
    public const string Push = "push";
    public const string Multicast = "multicast";
    public const string Quota = "quota";

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private readonly TimeProvider _clock;
    private readonly List<AcceptedMessage> _accepted = [];
    private readonly HashSet<string> _spentReplyTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, string> _acceptedRetryKeys = []; // retry key -> x-line-request-id
    private readonly Dictionary<(string Endpoint, int Status), int> _counts = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly List<Func<FakeLineRequest, int?>> _failRules = [];
    private TimeSpan _latency;
    private double _failureRate;
    private bool _expireReplyTokens;
    private TimeSpan? _retryAfter;
    private long _nextMessageId = 100_000_000_000_000;
    private WebApplication? _app;

    private FakeLineApi(string accessToken, int seed, TimeProvider clock)
    {
        AccessToken = accessToken;
        _random = new Random(seed);
        _clock = clock;
    }

    public string AccessToken { get; }

    /// <summary>Like <c>http://127.0.0.1:40123</c>; use as <c>Channels:Line:ApiBaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Delay before each request is handled; still handled after its client gave up, as LINE may.</summary>
    public TimeSpan Latency { get => Locked(() => _latency); set => Locked(() => _latency = value); }

    /// <summary>Fraction (0..1) of valid requests answered 429 or 500, chosen by a Random seeded at start.</summary>
    public double FailureRate { get => Locked(() => _failureRate); set => Locked(() => _failureRate = value); }

    /// <summary>Every reply token answers 400 "Invalid reply token" (as after LINE's one-minute window).</summary>
    public bool ExpireReplyTokens
    {
        get => Locked(() => _expireReplyTokens);
        set => Locked(() => _expireReplyTokens = value);
    }

    /// <summary>When set, 429 and 5xx answers carry this <c>Retry-After</c> (LINE itself sends none).</summary>
    public TimeSpan? RetryAfter { get => Locked(() => _retryAfter); set => Locked(() => _retryAfter = value); }

    /// <summary>Every accepted message, in the order of acceptance.</summary>
    public IReadOnlyList<AcceptedMessage> Accepted => Locked(() => _accepted.ToArray());

    public int TotalRequests => Locked(() => _counts.Values.Sum());

    public static async Task<FakeLineApi> StartAsync(
        string accessToken = DefaultAccessToken, int seed = 20260101, TimeProvider? clock = null)
    {
        var fake = new FakeLineApi(accessToken, seed, clock ?? TimeProvider.System);
        fake._app = await fake.ListenAsync(0);
        return fake;
    }

    /// <summary>Answers <c>rule(request)</c> instead of handling the request when not null; first rule wins.</summary>
    public void Fail(Func<FakeLineRequest, int?> rule) => Locked(() => _failRules.Add(rule));

    public void ClearFailures() => Locked(() => _failRules.Clear());

    /// <summary>Declares reply tokens invalid (unknown to LINE) before they are used.</summary>
    public void DeclareInvalidReplyTokens(params string[] tokens) =>
        Locked(() => _spentReplyTokens.UnionWith(tokens));

    /// <summary>Requests answered so far for an endpoint, with a given status or any.</summary>
    public int Requests(string endpoint, int? status = null) => Locked(() =>
        _counts.Where(c => c.Key.Endpoint == endpoint && (status is null || c.Key.Status == status)).Sum(c => c.Value));

    /// <summary>Completes once at least <paramref name="count"/> messages were accepted, else throws.</summary>
    public async Task WaitForAcceptedAsync(int count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_accepted.Count >= count) return;
            _waiters.Add((count, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate) _waiters.RemoveAll(w => w.Done == done);
            throw new TimeoutException($"Waited {timeout} for {count} accepted messages. {Summary()}");
        }
    }

    /// <summary>Accepted count and requests per endpoint and status, e.g. for a failure message.</summary>
    public string Summary() => Locked(() =>
        $"Accepted {_accepted.Count} messages; requests: " + (_counts.Count == 0 ? "none" : string.Join(", ",
            _counts.OrderBy(c => c.Key.Endpoint).ThenBy(c => c.Key.Status)
                .Select(c => $"{c.Key.Endpoint} {c.Key.Status} × {c.Value}"))));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await GoOfflineAsync();
        _stopping.Dispose();
        _appStopping.Dispose();
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate) return read();
    }

    private void Locked(Action write)
    {
        lock (_gate) write();
    }
}
