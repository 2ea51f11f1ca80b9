using System.Diagnostics;
using BotEngine.Tests.Support;
using Xunit.Abstractions;

namespace BotEngine.Tests.Pipeline;

/// <summary>SIGTERM mid-burst (what <c>systemctl stop/restart</c> sends): nothing lost, nothing twice, order kept.</summary>
public sealed class GracefulStopTests(ITestOutputHelper output) : EngineTest
{
    private const int Users = 25;
    private const int Rounds = 30;
    private const int TerminateAfterRound = 4;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30); // the unit's TimeoutStopSec

    [Fact]
    public async Task Sigterm_mid_burst_exits_in_time_and_loses_and_duplicates_nothing()
    {
        Line.Latency = TimeSpan.FromMilliseconds(20);
        var users = Enumerable.Range(0, Users).Select(_ => LineFixtures.NewUserId()).ToList();
        // Each body holds one message of every user; a body not answered 200 is sent again, byte for byte, as the
        // platform redelivers it.
        var bodies = Enumerable.Range(0, Rounds)
            .Select(_ => LineFixtures.Body(users.Select(u => LineFixtures.TextEvent(u, "count")).ToArray())).ToList();
        var answers = new List<string>();
        var next = 0;
        var stopwatch = new Stopwatch();
        await using (var first = await EngineProcess.StartAsync(Data.Path, Line))
        {
            for (; next < Rounds; next++)
            {
                var status = await TryPostAsync(first, bodies[next]);
                answers.Add(status);
                if (status != "200")
                {
                    break;
                }

                if (next + 1 == TerminateAfterRound)
                {
                    stopwatch.Start();
                    first.Terminate();
                }
            }

            await first.WaitForExitAsync(StopTimeout);
            stopwatch.Stop();
            output.WriteLine(string.Join(Environment.NewLine, first.Output));
            Assert.Equal(0, first.ExitCode);
        }

        output.WriteLine($"SIGTERM to exit: {stopwatch.Elapsed}; answers: {string.Join(",", answers)}");
        Assert.All(answers, a => Assert.True(a is "200" or "503" or "no answer", $"webhook answered {a}"));
        Assert.True(next >= TerminateAfterRound, string.Join(",", answers));

        var clock = Stopwatch.StartNew();
        await using var second = await EngineProcess.StartAsync(Data.Path, Line);
        output.WriteLine($"restart healthy after {clock.Elapsed}; accepted so far {Line.Accepted.Count}");
        for (; next < Rounds; next++)
        {
            Assert.Equal("200", await TryPostAsync(second, bodies[next]));
        }

        await Line.WaitForAcceptedAsync(Users * Rounds, Deadline);
        output.WriteLine($"all answered after {clock.Elapsed}");
        var queue = new QueueFile(Data.Path);
        await Eventually.TrueAsync(() => queue.Settled, Deadline, "all events done after the restart");
        Answers.AssertEachUserCountedOnceInOrder(Line.Accepted, users, Rounds, queue);
        Assert.True(stopwatch.Elapsed < StopTimeout, $"stopped in {stopwatch.Elapsed}");
    }

    // A refused connection (the server already stopped listening) is no answer: the platform retries it.
    private static async Task<string> TryPostAsync(EngineProcess engine, byte[] body)
    {
        try
        {
            using var response = await engine.PostLineAsync(body);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return "no answer";
        }
    }
}
