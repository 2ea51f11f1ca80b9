using System.Net;
using System.Text;
using BotEngine.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace BotEngine.Tests.Ingress;

/// <summary>Each endpoint's own body limit, and what a broken request costs: its status and one short log line.</summary>
public sealed class RequestLimitTests : EngineTest
{
    private const string Token = "request-limit-test-token-0123456789";
    private readonly CapturingSink _log = new();

    [Fact]
    public async Task A_10_MB_sign_in_form_is_413_without_a_stack_trace()
    {
        Start(("Admin:Token", Token));
        await using var raw = await RawHttp.ConnectAsync(App.Client.BaseAddress!);
        string[] headers = ["Content-Type: application/x-www-form-urlencoded", "Content-Length: 10000000"];

        await raw.SendAsync("POST", "/admin/login", headers, Encoding.ASCII.GetBytes("token=" + new string('x', 60_000)),
            App.Client.BaseAddress!.Authority);
        var (status, answer) = await raw.ReadAnswerAsync(Deadline);

        Assert.Equal(413, status);
        Assert.Contains("too large", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dev_api_takes_a_small_body_and_the_webhook_up_to_max_body_bytes()
    {
        Start(("BotEngine:MaxBodyBytes", "200000"));
        var text = new string('a', 40_000);
        using var dev = new StringContent($$"""{"user":"eve","text":"{{text}}"}""", Encoding.UTF8, "application/json");
        var events = Enumerable.Range(0, 300).Select(_ => LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping")).ToArray();
        var webhook = LineFixtures.Body(events);
        Assert.InRange(webhook.Length, 40_000, 200_000);

        using var tooLarge = await App.Client.PostAsync(new Uri("/dev/api/messages", UriKind.Relative), dev);
        using var accepted = await App.PostLineAsync(webhook);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_slow_client_dropped_by_kestrel_logs_one_short_line()
    {
        var info = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" };
        App = BotEngineApp.Start(Data.Path, Line, info, services =>
        {
            services.AddSingleton<ILogEventSink>(_log);
            // The shortest grace Kestrel allows (more than its 1 s heartbeat), so the test waits about 2 s, not 5.
            services.Configure<KestrelServerOptions>(k => k.Limits.MinRequestBodyDataRate =
                new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(1.1)));
        });
        await using var raw = await RawHttp.ConnectAsync(App.Client.BaseAddress!);

        await raw.SendAsync("POST", "/webhooks/line", ["Content-Length: 100000", "X-Line-Signature: x"], new byte[10],
            App.Client.BaseAddress!.Authority);
        var dropped = await Eventually.ValueAsync(
            () => _log.Events.Where(e => e.RenderMessage(null).Contains("dropped", StringComparison.Ordinal)).ToList(),
            lines => lines.Count > 0, Deadline, "the slow client's log line");

        var line = Assert.Single(dropped);
        Assert.Null(line.Exception);
        Assert.Contains("slowly", line.RenderMessage(null), StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Events, e => e.Level >= LogEventLevel.Error);
        Assert.Equal(0, App.Queue.Bodies);
    }
}
