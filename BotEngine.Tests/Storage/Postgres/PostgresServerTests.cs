using BotEngine.Tests.Support;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

public sealed class PostgresServerTests
{
    [PostgresFact]
    public async Task Each_database_is_private_to_its_test_class()
    {
        var first = await PostgresServer.CreateDatabaseAsync();
        var second = await PostgresServer.CreateDatabaseAsync();
        await Execute(first, "CREATE TABLE only_here (x int)");

        Assert.Equal(1L, await Scalar(first, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
        Assert.Equal(0L, await Scalar(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
        Assert.StartsWith("127.0.0.1", await Scalar<string>(first, "SELECT host(inet_server_addr())"), StringComparison.Ordinal);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<long> Scalar(string connectionString, string sql) => Scalar<long>(connectionString, sql);

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
