using BotEngine.Tests.Support;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>
/// One PostgreSQL database, one single-node engine: a second one outside a cluster refuses to start (one line, exit
/// code 1) while the first runs, and a node killed with kill -9 leaves the database free for the next start.
/// </summary>
public sealed class PostgresNodeLockTests : EngineTest
{
    [PostgresFact]
    public async Task A_second_single_node_refuses_the_database_and_a_killed_one_frees_it()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        string[] postgres = ["--BotEngine:Storage=Postgres", $"--ConnectionStrings:Postgres={database}"];
        var first = await EngineProcess.StartAsync(Folder("first"), Line, postgres);

        var second = await EngineProcess.RunToExitAsync(Data.Path, TimeSpan.FromSeconds(60),
            [$"--BotEngine:DataDirectory={Folder("second")}", $"--Urls=http://127.0.0.1:{EngineProcess.FreeLoopbackPort()}", .. postgres]);

        var said = $"exit {second.ExitCode}\nstdout:\n{second.Output}\nstderr:\n{second.Error}";
        Assert.True(second.ExitCode == 1, said);
        var line = Assert.Single(second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("botengine: cannot start: another engine uses this PostgreSQL database", line, StringComparison.Ordinal);
        Assert.Equal("Healthy", (await first.Client.GetStringAsync("/healthz")).Split(';')[0]);

        await first.KillAsync();
        await first.DisposeAsync();
        await using var third = await EngineProcess.StartAsync(Folder("third"), Line, postgres);
        Assert.Equal("Healthy", (await third.Client.GetStringAsync("/healthz")).Split(';')[0]);
    }

    private string Folder(string name) => Directory.CreateDirectory(Data.File(name)).FullName;
}
