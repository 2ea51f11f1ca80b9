using System.Collections.Concurrent;
using BotEngine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using static BotEngine.Tests.Channels.Messenger.MessengerFixtures;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>The app secret, the page access token, the verify token and the proof never reach a log or a metric.</summary>
public sealed class MessengerSecretsTests : MessengerTest
{
    [Fact]
    public async Task No_messenger_secret_appears_in_anything_logged_or_measured_at_verbose()
    {
        var sink = new Sink();
        var graph = await FakeGraphApi.StartAsync();
        var settings = graph.Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        foreach (var noisy in new[] { "Default", "Override:Microsoft", "Override:System.Net.Http.HttpClient", "Override:Akka" })
        {
            settings[$"Serilog:MinimumLevel:{noisy}"] = "Verbose";
        }

        settings["Channels:Messenger:RequestTimeout"] = "00:00:01";
        App = BotEngineApp.Start(Data.Path, Line, settings, services => services.AddSingleton<ILogEventSink>(sink));
        graph.Script(FakeGraphAnswer.RateLimited, FakeGraphAnswer.AcceptLate);
        var user = NewPsid();

        using (await PostBodyAsync(App.Client, Body(Text(user, "ping"), Text(user, "count")))) { }
        using (await PostBodyAsync(App.Client, Body(Text(user, "x")), "sha256=00")) { }
        using (await App.Client.GetAsync(new Uri($"/webhooks/messenger?hub.mode=subscribe&hub.verify_token={FakeGraphApi.VerifyToken}&hub.challenge=5", UriKind.Relative))) { }
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "both events done");
        var metrics = await App.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        await App.DisposeAsync();
        App = null!;
        await graph.DisposeAsync();

        var lines = sink.Events.Select(e => $"{e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} "
            + $"{string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}").Append(metrics).ToList();
        Assert.Contains(sink.Events, e => e.Level == LogEventLevel.Debug);
        string[] secrets = [FakeGraphApi.AppSecret, FakeGraphApi.PageAccessToken, FakeGraphApi.VerifyToken, FakeGraphApi.Proof];
        var leaks = lines.Where(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    private sealed class Sink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyList<LogEvent> Events => [.. _events];

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
