using BotEngine.Channels;
using BotEngine.Conversations;
using CsCheck;

namespace BotEngine.Tests.Conversations;

public sealed class ConversationKeyTests
{
    [Fact]
    public void A_lane_key_reads_back_as_the_conversation_it_was_built_from()
    {
        var names = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[1, Channel.MaxLength].Select(c => new string(c));
        Gen.Select(names, Gen.String[1, 80]).Sample((name, id) =>
        {
            var key = new ConversationKey(new Channel(name), id);
            return ConversationKey.TryFromLane(key.Lane, out var read) && read == key
                && key.Lane == ConversationKey.LaneOf(name, id) && key.PersistenceId == $"conversation-{name}-{id}";
        });
    }

    [Theory]
    [InlineData("line")]
    [InlineData(":U1")]
    [InlineData("line:")]
    [InlineData("LINE:U1")]
    [InlineData("li ne:U1")]
    public void What_is_no_lane_key_is_refused(string lane)
    {
        Assert.False(ConversationKey.TryFromLane(lane, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConversationKey.FromLane(lane));
    }

    [Fact]
    public void The_id_keeps_its_own_colons()
    {
        var key = ConversationKey.FromLane("messenger:page1:user2");

        Assert.Equal(("messenger", "page1:user2"), (key.Channel.Name, key.Id));
    }
}
