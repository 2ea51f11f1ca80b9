using BotEngine.Operations;
using BotEngine.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace BotEngine.Tests.Operations;

/// <summary>What the engine logs: the conversation and event on every line of its handling, and never a secret.</summary>
public sealed class LoggingTests : EngineTest
{
    private readonly CapturingSink _sink = new();

    [Fact]
    public async Task No_secret_appears_in_anything_logged_during_a_full_run_at_verbose()
    {
        StartCapturing();
        var user = LineFixtures.NewUserId();
        FailFirstRequest();
        await PostAsync(LineFixtures.TextEvent(user, "ping"), LineFixtures.TextEvent(LineFixtures.NewUserId(), "count"));
        await Line.WaitForAcceptedAsync(2, Deadline);
        Line.ExpireReplyTokens = true; // the next answer goes out as a push
        await PostAsync(LineFixtures.TextEvent(user, "count"));
        await Line.WaitForAcceptedAsync(3, Deadline);
        using (await App.PostLineAsync(LineFixtures.Body(LineFixtures.TextEvent(user, "x")), signature: "bm9wZQ=="))
        {
        }

        await App.Client.GetStringAsync("/metrics");
        await SettledAsync();
        await App.DisposeAsync(); // flushes shutdown logging too

        var lines = _sink.Events.Select(Everything).ToList();
        Assert.True(lines.Count > 10, $"only {lines.Count} log events captured");
        // Which Verbose lines show depends on what earlier tests warmed up in this process; Debug ones always show,
        // and they prove the levels below Information were on for the scan.
        Assert.Contains(_sink.Events, e => e.Level == LogEventLevel.Debug);
        var leaks = lines.Where(l => l.Contains(BotEngineApp.ChannelSecret, StringComparison.Ordinal)
            || l.Contains(Line.AccessToken, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public async Task A_line_logged_while_handling_an_event_shows_its_conversation_and_event_id()
    {
        StartCapturing();
        var user = LineFixtures.NewUserId();
        var eventId = LineFixtures.NewEventId();
        FailFirstRequest();

        await PostAsync(LineFixtures.TextEvent(user, "ping", eventId));
        await Line.WaitForAcceptedAsync(1, Deadline);

        var retry = Assert.Single(_sink.Events, e => e.MessageTemplate.Text.StartsWith("Attempt", StringComparison.Ordinal));
        Assert.Equal($"\"{eventId}\"", retry.Properties["EventId"].ToString());
        Assert.Contains(user, retry.Properties["Conversation"].ToString(), StringComparison.Ordinal);
        var console = Render(retry);
        Assert.Contains($" event {eventId}]", console, StringComparison.Ordinal);
        Assert.Contains(user, console, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[WRN\] BotEngine\.Outbound\.EventOutcomes: \[line:", console);
        // The backoff reads as a duration ("retrying in 5 ms"), not as a TimeSpan ("00:00:00.0050000").
        Assert.Matches(@"retrying in [0-9.]+ (ms|s)\b", console);
        Assert.DoesNotContain("00:00:", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_journald_each_line_starts_with_its_syslog_priority()
    {
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Error, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("Disk full"), []);

        new LogLineEnricher(underJournal: true).Enrich(logEvent, new PropertyFactory());

        Assert.StartsWith("<3>[ERR] ", Render(logEvent), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(765.7347, "766 ms")]
    [InlineData(0, "0 ms")]
    [InlineData(4_200, "4.2 s")]
    [InlineData(42_000, "42 s")]
    [InlineData(125_000, "2 min 5 s")]
    [InlineData(600_000, "10 min")]
    [InlineData(11_400_000, "3 h 10 min")]
    [InlineData(172_800_000, "2 d")]
    public void Durations_read_as_a_person_would_say_them(double milliseconds, string expected) =>
        Assert.Equal(expected, Durations.Readable(TimeSpan.FromMilliseconds(milliseconds)));

    private void StartCapturing()
    {
        string[] noisy = ["Microsoft", "Microsoft.AspNetCore", "Microsoft.Extensions.Http", "System.Net.Http.HttpClient", "Akka"];
        var settings = noisy.Select(n => ($"Serilog:MinimumLevel:Override:{n}", "Verbose"))
            .Append(("Serilog:MinimumLevel:Default", "Verbose"))
            .ToDictionary(s => s.Item1, s => (string?)s.Item2);
        App = BotEngineApp.Start(Data.Path, Line, settings, services => services.AddSingleton<ILogEventSink>(_sink));
    }

    private void FailFirstRequest()
    {
        var failed = 0;
        Line.Fail(_ => Interlocked.Exchange(ref failed, 1) == 0 ? 500 : null);
    }

    // The message, every property (also those the template does not show) and the exception.
    private static string Everything(LogEvent e) =>
        $"{e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}";

    // The console line as appsettings.json's template writes it.
    private static string Render(LogEvent logEvent)
    {
        var template = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .Build()["Serilog:WriteTo:0:Args:outputTemplate"]!;
        using var output = new StringWriter();
        new MessageTemplateTextFormatter(template).Format(logEvent, output);
        return output.ToString();
    }

    private sealed class PropertyFactory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) =>
            new(name, new ScalarValue(value));
    }
}
