using System.Net.Sockets;
using BotEngine.Storage;
using BotEngine.Storage.Postgres.Queue;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotEngine.Tests.Storage;

/// <summary>
/// One list of failure kinds for both storage modes: SQLite's file errors and PostgreSQL's server errors land on the
/// same names, and the PostgreSQL queue's health says them.
/// </summary>
public sealed class StorageFailureTests
{
    public static TheoryData<Exception, string> Failures => new()
    {
        { new SqliteException("database or disk is full", 13), StorageFailure.Full },
        { new SqliteException("disk I/O error", 10), StorageFailure.Io },
        { new SqliteException("file is not a database", 26), StorageFailure.Corrupt },
        { new SqliteException("unable to open database file", 14), StorageFailure.CantOpen },
        { new SqliteException("database is locked", 5), StorageFailure.Other },
        { Postgres("53100", "could not extend file: No space left on device"), StorageFailure.Full },
        { Postgres("XX001", "invalid page in block 7"), StorageFailure.Corrupt },
        { Postgres("57P01", "terminating connection due to administrator command"), StorageFailure.Unreachable },
        { Postgres("08006", "connection failure"), StorageFailure.Unreachable },
        { new NpgsqlException("Exception while reading from stream", new IOException("cut")), StorageFailure.Unreachable },
        { new NpgsqlException("Failed to connect", new SocketException(111)), StorageFailure.Unreachable },
        { Postgres("23505", "duplicate key value"), StorageFailure.Other },
        { new InvalidOperationException("no space"), StorageFailure.Other },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Both_modes_name_a_failure_from_the_one_list(Exception failure, string kind)
    {
        Assert.Equal(kind, StorageFailure.Kind(failure));

        var health = new PgHealth();
        health.Failed(PgHealth.Appends, failure);
        Assert.Equal($"appends: {kind}: {failure.Message}", health.LastError);
    }

    private static PostgresException Postgres(string sqlState, string message) => new(message, "ERROR", "ERROR", sqlState);
}
