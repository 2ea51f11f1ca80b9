using BotEngine.Operations;
using BotEngine.Storage.Postgres;
using BotEngine.Tests.Support;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>
/// Storage=Postgres refuses what breaks its promises: a server without synchronous commit or with fewer connections
/// than one node holds, its two pools and its node lock's session (one line, exit code 1), warns when the cluster's
/// nodes together need more, and the file backup command points at pg_dump instead of copying nothing.
/// </summary>
public sealed class PostgresModeChecksTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Theory]
    [InlineData("on", 400, -1, -1, 3, null, null)]
    [InlineData("local", 400, -1, -1, 1, null, null)]
    [InlineData("off", 400, -1, -1, 1, "synchronous_commit = off", null)]
    [InlineData("on", 397, 30, -1, 1, "allows 30 connections", null)]
    [InlineData("on", 397, -1, 39, 1, "allows 39 connections", null)]
    [InlineData("on", 397, 40, -1, 1, "up to 41 (20 for the queue, 20 for the journal, 1 for the node lock)", null)]
    [InlineData("on", 397, -1, 41, 1, null, null)]
    [InlineData("on", 97, -1, -1, 1, null, null)]
    [InlineData("on", 97, -1, -1, 3, null, "3 nodes open up to 123")]
    [InlineData("on", 123, -1, -1, 3, null, null)]
    [InlineData("on", 400, 100, -1, 3, null, "allows 100 connections")]
    public void Settings_are_refused_warned_about_or_fine(
        string synchronousCommit, int serverSlots, int databaseLimit, int roleLimit, int nodes, string? refused, string? warned)
    {
        var (refusal, warning) = PostgresServerCheck.Judge(new ServerSettings(synchronousCommit, serverSlots, databaseLimit, roleLimit), nodes);

        AssertSays(refused, refusal);
        AssertSays(warned, warning);
    }

    [PostgresFact]
    public async Task The_engine_refuses_to_start_without_synchronous_commit_or_enough_connections()
    {
        var asynchronous = await DatabaseAsync("SET synchronous_commit = off");
        var crowded = await DatabaseAsync("CONNECTION LIMIT 30");
        var fine = await PostgresServerCheck.ReadAsync(await PostgresServer.CreateDatabaseAsync(), default);
        Assert.Equal((null, null), PostgresServerCheck.Judge(fine, 1));

        var runs = await Task.WhenAll(new[] { asynchronous, crowded }.Select((database, i) => EngineProcess.RunToExitAsync(
            _data.Path, TimeSpan.FromSeconds(60), $"--BotEngine:DataDirectory={_data.File($"n{i}")}",
            $"--Urls=http://127.0.0.1:{EngineProcess.FreeLoopbackPort()}", "--BotEngine:Storage=Postgres",
            $"--ConnectionStrings:Postgres={database}")));

        foreach (var (run, expected) in runs.Zip(["synchronous_commit = off", "allows 30 connections"]))
        {
            var said = $"exit {run.ExitCode}\nstdout:\n{run.Output}\nstderr:\n{run.Error}";
            Assert.True(run.ExitCode == 1, said);
            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("botengine: cannot start: ", line, StringComparison.Ordinal);
            Assert.True(line.Contains(expected, StringComparison.Ordinal), said);
        }
    }

    [Fact]
    public void Backup_in_postgres_mode_refuses_and_points_at_pg_dump()
    {
        var file = _data.File("nightly.db");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = EngineCommands.Run(["backup", file, "--BotEngine:Storage=Postgres", $"--BotEngine:DataDirectory={_data.Path}"],
            output, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("pg_dump", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    public void Dispose() => _data.Dispose();

    private static void AssertSays(string? expected, string? actual)
    {
        if (expected is null) Assert.Null(actual);
        else Assert.Contains(expected, actual ?? "", StringComparison.Ordinal);
    }

    // A fresh database altered as given (ALTER DATABASE name …), as the operator's server would be set.
    private static async Task<string> DatabaseAsync(string alteration)
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var admin = new NpgsqlConnectionStringBuilder(database) { Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" {alteration}", connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }
}
