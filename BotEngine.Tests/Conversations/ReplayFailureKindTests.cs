using System.Runtime.Serialization;
using Akka.Persistence;
using BotEngine.Conversations;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Conversations;

/// <summary>
/// Which failed replays make a conversation unreadable until reset (rows no reader understands) and which are only
/// retried (the store was busy, slow or stopping): a busy database must not cost a user their conversation.
/// </summary>
public sealed class ReplayFailureKindTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new SqliteException("database is locked", 5), true },
        { new InvalidOperationException("replay", new SqliteException("disk I/O error", 10)), true },
        { new TimeoutException(), true },
        { new OperationCanceledException("ReplayMessagesAsync canceled, possibly due to timing out."), true },
        { new RecoveryTimedOutException("no snapshot within 30 s"), true },
        { new SerializationException("Unknown conversation manifest 'event-applied/99'"), false },
        { new InvalidOperationException("anything else"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_failures_of_the_store_are_transient(Exception failure, bool transient) =>
        Assert.Equal(transient, ConversationActor.IsTransient(failure));
}
