using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Support;

// Scripted answers, the listening socket, and the monthly quota.
public sealed partial class FakeLineApi
{
    private readonly Queue<FakeAnswer> _script = new();
    private readonly List<AmbiguousRequest> _ambiguous = [];
    private readonly Dictionary<string, DateTimeOffset> _issuedTokens = new(StringComparer.Ordinal);
    private CancellationTokenSource _appStopping = new();
    private TimeSpan _lateBy = TimeSpan.FromSeconds(1);
    private TimeSpan? _replyTokenLife;
    private long? _quotaLimit;
    private long _quotaUsed;
    private int _port;

    /// <summary>How much later than its client's timeout a late answer comes.</summary>
    public TimeSpan LateBy { get => Locked(() => _lateBy); set => Locked(() => _lateBy = value); }

    /// <summary>Reply tokens expire this long after <see cref="IssueReplyTokens"/> (LINE: about a minute).</summary>
    public TimeSpan? ReplyTokenLife { get => Locked(() => _replyTokenLife); set => Locked(() => _replyTokenLife = value); }

    /// <summary>The month's target limit (null: none); pushes and multicasts beyond it get the quota 429.</summary>
    public long? QuotaLimit { get => Locked(() => _quotaLimit); set => Locked(() => _quotaLimit = value); }

    /// <summary>Messages billed this month: one per recipient of each accepted push or multicast.</summary>
    public long QuotaUsed { get => Locked(() => _quotaUsed); set => Locked(() => _quotaUsed = value); }

    /// <summary>
    /// A request answered this long after it arrived counts as ambiguous even when no script said so: its client may
    /// have given up (a busy machine makes ordinary requests that slow). Set it a little under the client's timeout.
    /// </summary>
    public TimeSpan? AmbiguousAfter { get; set; }

    /// <summary>Whether a refused multicast names the bad recipient (<c>to[i]</c>) as LINE does, or gives no detail.</summary>
    public bool MulticastErrorDetails { get; set; } = true;

    /// <summary>Requests whose clients cannot have known their fate (late, cut), with whether they were delivered.</summary>
    public IReadOnlyList<AmbiguousRequest> Ambiguous => Locked(() => _ambiguous.ToArray());

    public int ScriptLeft => Locked(() => _script.Count);

    /// <summary>The next requests to reply, push or multicast get these answers, in order; then LINE's behaviour.</summary>
    public void Script(params FakeAnswer[] answers) => Locked(() =>
    {
        foreach (var answer in answers) _script.Enqueue(answer);
    });

    public void ClearScript() => Locked(() => _script.Clear());

    /// <summary>The reply tokens were issued now (they expire after <see cref="ReplyTokenLife"/>).</summary>
    public void IssueReplyTokens(params string[] tokens) => Locked(() =>
    {
        foreach (var token in tokens) _issuedTokens.TryAdd(token, _clock.GetUtcNow());
    });

    /// <summary>Stops listening: connections are refused until <see cref="GoOnlineAsync"/> (open ones are closed).</summary>
    public async Task GoOfflineAsync()
    {
        var app = _app;
        _app = null;
        if (app is null) return;
        await _appStopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the same port.</summary>
    public async Task GoOnlineAsync()
    {
        if (_app is not null) return;
        _appStopping.Dispose();
        _appStopping = new CancellationTokenSource();
        _app = await ListenAsync(_port);
    }

    private async Task<WebApplication> ListenAsync(int port)
    {
        // The empty builder reads no appsettings.json or environment, so nothing can move the port or add logging.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        BaseUrl = addresses.Addresses.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        _port = new Uri(BaseUrl).Port;
        return app;
    }

    // Caller holds _gate.
    private FakeAnswer NextScripted() => _script.Count > 0 ? _script.Dequeue() : FakeAnswer.Accept;

    // Caller holds _gate.
    private bool TokenExpired(string token) => _replyTokenLife is { } life
        && _issuedTokens.TryGetValue(token, out var issued) && _clock.GetUtcNow() - issued > life;
}
