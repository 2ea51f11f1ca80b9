using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Line;

/// <summary>The send planner: identical answers to many users share one multicast, stored before it is sent.</summary>
public sealed class PlannerTests : EngineTest
{
    private static readonly (string, string) Batched = ("Channels:Line:DeliveryMode", "Batched");

    [Fact]
    public async Task Identical_answers_to_many_users_go_out_as_one_multicast_and_groups_are_pushed()
    {
        Start(Batched);
        var users = Enumerable.Range(0, 40).Select(_ => LineFixtures.NewUserId()).ToList();
        var group = LineFixtures.NewGroupId();

        await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "ping")),
            LineFixtures.GroupTextEvent(group, users[0], "ping")]);

        var answers = await SettledAsync();
        Assert.Equal((1, 1, 0), (Line.Requests(FakeLineApi.Multicast), Line.Requests(FakeLineApi.Push),
            Line.Requests(FakeLineApi.Reply)));
        Assert.Equal(users.Order(), answers.Where(a => a.Endpoint == FakeLineApi.Multicast).Select(a => a.To!).Order());
        Assert.Equal(group, Assert.Single(answers, a => a.Endpoint == FakeLineApi.Push).To);
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM batches WHERE state = 3"));
        Assert.Equal(users.Count, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE batch_id IS NOT NULL AND state = 2"));
    }

    [Fact]
    public async Task ReplyFirst_replies_to_fresh_tokens_and_coalesces_only_stale_ones()
    {
        Start(("Channels:Line:ReplyWindow", "00:00:00"));
        var users = Enumerable.Range(0, 5).Select(_ => LineFixtures.NewUserId()).ToList();

        await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "ping"))]);
        await SettledAsync();
        await App.DisposeAsync();
        Start();
        await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "ping"))]);

        var answers = await SettledAsync();
        Assert.Equal((1, 5), (Line.Requests(FakeLineApi.Multicast), Line.Requests(FakeLineApi.Reply)));
        Assert.Equal(0, Line.Requests(FakeLineApi.Push));
        Assert.Equal(10, answers.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refused_recipient_list_is_split_so_one_bad_id_blocks_no_one_else(bool lineNamesTheBadId)
    {
        Line.MulticastErrorDetails = lineNamesTheBadId;
        Start(Batched);
        var users = Enumerable.Range(0, 9).Select(_ => LineFixtures.NewUserId()).ToList();
        var bad = "U" + new string('z', 32); // not a LINE user id: LINE refuses the whole multicast

        await PostAsync([.. users.Take(4).Append(bad).Concat(users.Skip(4)).Select(u => LineFixtures.TextEvent(u, "ping"))]);

        var answers = await SettledAsync();
        Assert.Equal(users.Order(), answers.Select(a => a.To!).Order());
        var dead = Assert.Single(App.Queue.EventRows(), row => row.State == 3);
        Assert.Contains("400", dead.Error, StringComparison.Ordinal);
        Assert.True(Line.Requests(FakeLineApi.Multicast, 400) >= 2, Line.Summary());
    }

    [Fact]
    public async Task Batch_whose_answer_was_lost_is_sent_again_after_a_restart_under_the_same_retry_key()
    {
        Line.LateBy = TimeSpan.FromSeconds(5);
        Line.Script(FakeAnswer.AcceptLate);
        Start(Batched, ("Channels:Line:RequestTimeout", "00:00:01"));
        var users = Enumerable.Range(0, 6).Select(_ => LineFixtures.NewUserId()).ToList();

        await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "ping"))]);
        await Line.WaitForAcceptedAsync(users.Count, Deadline); // LINE took it; the engine has no answer yet
        await App.DisposeAsync(); // a restart while the batch waits for its answer
        Start(Batched);

        var answers = await SettledAsync();
        Assert.Equal(users.Order(), answers.Select(a => a.To!).Order());
        Assert.Equal(1, Line.Requests(FakeLineApi.Multicast, 409));
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM batches"));
    }

    [Fact]
    public async Task A_users_next_answer_never_overtakes_one_waiting_in_a_batch()
    {
        Start(Batched, ("Channels:Line:CoalesceWindow", "00:00:00.300"));
        var users = Enumerable.Range(0, 5).Select(_ => LineFixtures.NewUserId()).ToList();

        await PostAsync([.. users.SelectMany(u => new[]
        {
            LineFixtures.TextEvent(u, "count"), LineFixtures.TextEvent(u, "count"),
        })]);

        var answers = await SettledAsync();
        Answers.AssertEachUserCountedOnceInOrder(answers, users, 2, App.Queue);
    }
}
