using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>
/// Messenger's Send API (<c>POST /{version}/me/messages</c>) on a real Kestrel socket at 127.0.0.1, port 0. It checks
/// the bearer token and <c>appsecret_proof</c>, validates bodies with the Send API's limits, and records what it
/// accepts. Knobs: <see cref="Script"/> (late answers, cut connections, rate limits, 5xx, the window refusal),
/// <see cref="FailureRate"/>, <see cref="LateBy"/>.
/// </summary>
public sealed partial class FakeGraphApi : IAsyncDisposable
{
    public const string AppSecret = "fake-messenger-app-secret-0123456789";
    public const string PageAccessToken = "EAAfakeMessengerPageAccessToken0123456789";
    public const string VerifyToken = "fake-messenger-verify-token";
    public const string Version = "v25.0";
    public const string PageId = "100000000000001";

    private readonly Lock _gate = new();
    private readonly List<GraphSent> _sent = [];
    private readonly Dictionary<int, int> _statuses = [];
    private readonly Queue<FakeGraphAnswer> _script = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly Random _random = new(20260101);
    private readonly CancellationTokenSource _stopping = new();
    private readonly LoopbackListener _listener;
    private double _failureRate;

    public string BaseUrl => _listener.BaseUrl;

    /// <summary>How much later than its client's timeout a late answer comes.</summary>
    public TimeSpan LateBy { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Fraction (0..1) of valid requests refused with rate limit 613 or a transient 500.</summary>
    public double FailureRate { get => Locked(() => _failureRate); set => Locked(() => _failureRate = value); }

    /// <summary>Every accepted message, in the order of acceptance.</summary>
    public IReadOnlyList<GraphSent> Sent => Locked(() => _sent.ToArray());

    /// <summary>The engine's settings for this fake: secrets, base URL and version.</summary>
    public (string Key, string Value)[] Settings =>
    [
        ("Channels:Messenger:AppSecret", AppSecret), ("Channels:Messenger:PageAccessToken", PageAccessToken),
        ("Channels:Messenger:VerifyToken", VerifyToken), ("Channels:Messenger:ApiBaseUrl", BaseUrl),
        ("Channels:Messenger:GraphVersion", Version),
    ];

    private FakeGraphApi() => _listener = new LoopbackListener(HandleAsync);

    public static async Task<FakeGraphApi> StartAsync()
    {
        var fake = new FakeGraphApi();
        await fake.GoOnlineAsync();
        return fake;
    }

    /// <summary>Stops listening: connections are refused until <see cref="GoOnlineAsync"/>.</summary>
    public Task GoOfflineAsync() => _listener.GoOfflineAsync();

    /// <summary>Listens (again, on the same port once it had one).</summary>
    public Task GoOnlineAsync() => _listener.GoOnlineAsync();

    /// <summary>The next requests get these answers, in order; then the Send API's own behaviour.</summary>
    public void Script(params FakeGraphAnswer[] answers) => Locked(() =>
    {
        foreach (var answer in answers) _script.Enqueue(answer);
    });

    /// <summary>Requests answered with <paramref name="status"/>, or all of them.</summary>
    public int Requests(int? status = null) =>
        Locked(() => _statuses.Where(s => status is null || s.Key == status).Sum(s => s.Value));

    /// <summary>Completes once at least <paramref name="count"/> messages were accepted, else throws.</summary>
    public async Task WaitForSentAsync(int count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_sent.Count >= count) return;
            _waiters.Add((count, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {timeout} for {count} sent messages; {Sent.Count} sent, "
                + $"{Requests()} requests ({string.Join(", ", Locked(() => _statuses.Select(s => $"{s.Key} × {s.Value}").ToList()))})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await GoOfflineAsync();
        _stopping.Dispose();
    }

    /// <summary>The <c>appsecret_proof</c> Meta expects with the token.</summary>
    public static string Proof => Convert.ToHexStringLower(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), Encoding.UTF8.GetBytes(PageAccessToken)));

    // Caller holds _gate.
    private void Record(string psid, string messagingType, JsonObject message)
    {
        var shown = message["text"]?.GetValue<string>()
            ?? message["attachment"]?["payload"]?["text"]?.GetValue<string>() ?? "";
        _sent.Add(new GraphSent(_sent.Count + 1, psid, shown, messagingType, (JsonObject)message.DeepClone()));
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Count > _sent.Count) continue;
            _waiters[i].Done.TrySetResult();
            _waiters.RemoveAt(i);
        }
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

/// <summary>One message the fake Send API accepted; <paramref name="Text"/> is its text or its template's text.</summary>
public sealed record GraphSent(int Sequence, string Psid, string Text, string MessagingType, JsonObject Message);

/// <summary>What the fake does with the next request (<see cref="FakeGraphApi.Script"/>).</summary>
public enum FakeGraphAnswer
{
    /// <summary>Handled as the Send API would.</summary>
    Accept,

    /// <summary>Accepted, but answered <see cref="FakeGraphApi.LateBy"/> later: after the client gave up.</summary>
    AcceptLate,

    /// <summary>Read, then the connection is cut. Nothing delivered.</summary>
    Reset,

    /// <summary>400, error 613 "Calls to this api have exceeded the rate limit".</summary>
    RateLimited,

    /// <summary>500, error 2 (transient).</summary>
    ServerError,

    /// <summary>400, error 10/2018278 "This message is sent outside of allowed window".</summary>
    OutsideWindow,
}
