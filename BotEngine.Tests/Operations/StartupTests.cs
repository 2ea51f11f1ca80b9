using System.Net;
using System.Net.Sockets;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Operations;

/// <summary>The engine as its own process: a start-up error is one clear line and exit code 1, never a stack trace.</summary>
public sealed class StartupTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Each_start_up_error_is_one_line_on_stderr_and_exit_code_1()
    {
        var flows = Directory.CreateDirectory(_data.File("flows")).FullName;
        File.WriteAllText(Path.Combine(flows, "typo.json"), """
            {
              "id": "typo", "version": 1,
              "start": "menu", "fallback": "menu",
              "states": { "menu": { "on": [ { "on": { "any": true }, "goto": "nowhere" } ] } }
            }
            """);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenUrl = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var cases = new (string Name, string Expected, string[] Settings)[]
        {
            ("broken flow", "typo.json:4:66: transition to nowhere", [$"--Flows:Directory={flows}"]),
            ("unknown Flows:Bot", "Flows:Bot is 'flow:nope'", ["--Flows:Bot=flow:nope"]),
            ("port taken", $"Failed to bind to address {takenUrl}", [$"--Urls={takenUrl}"]),
            ("value not a number", "'abc' at 'BotEngine:MaxAttempts'", ["--BotEngine:MaxAttempts=abc"]),
            ("value out of range", "MaxAttempts must be between 1 and 100", ["--BotEngine:MaxAttempts=0"]),
        };

        var runs = await Task.WhenAll(cases.Select(c => EngineProcess.RunToExitAsync(_data.Path, Timeout,
            [$"--BotEngine:DataDirectory={_data.File(c.Name.Replace(' ', '-'))}",
             $"--Urls=http://127.0.0.1:{EngineProcess.FreeLoopbackPort()}", .. c.Settings])));

        foreach (var (c, run) in cases.Zip(runs))
        {
            var said = $"{c.Name}: exit {run.ExitCode}\nstdout:\n{run.Output}\nstderr:\n{run.Error}";
            Assert.True(run.ExitCode == 1, said);
            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("botengine: cannot start: ", line, StringComparison.Ordinal);
            Assert.True(line.Contains(c.Expected, StringComparison.Ordinal), said);
            Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", run.Output + run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_and_version_print_and_exit_0_without_starting_the_server()
    {
        var port = EngineProcess.FreeLoopbackPort();
        var url = $"--Urls=http://127.0.0.1:{port}";

        var runs = await Task.WhenAll(
            EngineProcess.RunToExitAsync(_data.Path, Timeout, "--help", url),
            EngineProcess.RunToExitAsync(_data.Path, Timeout, url, "-h"),
            EngineProcess.RunToExitAsync(_data.Path, Timeout, "--version"));

        Assert.All(runs, run => Assert.Equal((0, ""), (run.ExitCode, run.Error)));
        Assert.Contains("usage:", runs[0].Output, StringComparison.Ordinal);
        Assert.Contains("botengine flows check", runs[1].Output, StringComparison.Ordinal);
        Assert.Matches(@"^botengine \d+\.\d+\.\d+", runs[2].Output);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "data")), "the engine made its data folder: it started");
    }

    public void Dispose() => _data.Dispose();
}
