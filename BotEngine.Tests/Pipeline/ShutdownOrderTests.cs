using BotEngine.Tests.Support;
using Xunit.Abstractions;

namespace BotEngine.Tests.Pipeline;

/// <summary>
/// SIGTERM stops the delivery worker (its drain) before Akka's coordinated shutdown stops the conversations. With
/// Akka's default CLR shutdown hook the order was the reverse: Akka started shutting down ~30 ms after the signal,
/// before the host raised ApplicationStopping, so events in flight were drained against stopped conversations.
/// </summary>
public sealed class ShutdownOrderTests(ITestOutputHelper output) : EngineTest
{
    private const string HostStopping = "Application is shutting down";
    private const string DrainStarted = "DeliveryWorker: Stopping";
    private const string AkkaStopping = "Akka coordinated shutdown started";

    [Fact]
    public async Task Sigterm_drains_delivery_before_akka_stops_the_conversations()
    {
        Line.Latency = TimeSpan.FromMilliseconds(50);
        var users = Enumerable.Range(0, 20).Select(_ => LineFixtures.NewUserId()).ToList();
        await using var engine = await EngineProcess.StartAsync(Data.Path, Line);
        using (var response = await engine.PostLineAsync(LineFixtures.Body(users.Select(u => LineFixtures.TextEvent(u, "count")).ToArray())))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        // Delivery starts after the server's first answer; once one answer is out it is running, with the rest in flight.
        await Line.WaitForAcceptedAsync(1, TimeSpan.FromSeconds(20));
        engine.Terminate();
        await engine.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var lines = engine.Output;
        output.WriteLine(string.Join(Environment.NewLine, lines));

        Assert.Equal(0, engine.ExitCode);
        var host = IndexOf(lines, HostStopping);
        var drain = IndexOf(lines, DrainStarted);
        var akka = IndexOf(lines, AkkaStopping);
        Assert.True(host < drain && drain < akka, $"order: host {host}, drain {drain}, akka {akka}");
    }

    private static int IndexOf(IReadOnlyList<string> lines, string text)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal)) return i;
        }

        throw new Xunit.Sdk.XunitException($"no line contains \"{text}\"");
    }
}
