using BotEngine.Storage;

namespace BotEngine.Tests.Storage;

/// <summary>How the writer fills a group commit: appends first, and little other work while appends arrive.</summary>
public sealed class WriteBatchesTests
{
    private const int Kb = 1024;

    [Fact]
    public void Appends_go_into_the_next_batch_before_work_that_came_earlier()
    {
        var queued = new WriteBatches();
        var split = Item(WriteKind.Default, 70 * Kb);
        var append = Item(WriteKind.Urgent, Kb);
        queued.Add(split);
        queued.Add(append);

        var batch = Fill(queued);

        Assert.Same(append, batch[0]);
        Assert.Same(split, batch[1]);
    }

    [Fact]
    public void While_appends_arrive_a_batch_takes_only_a_small_share_of_other_work()
    {
        var queued = new WriteBatches();
        var splits = Enumerable.Range(0, 10).Select(_ => Item(WriteKind.Default, 70 * Kb)).ToList();
        var outcomes = Enumerable.Range(0, 200).Select(_ => Item(WriteKind.SingleStatement, 0)).ToList();
        splits.ForEach(queued.Add);
        queued.Add(Item(WriteKind.Urgent, Kb));

        var first = Fill(queued);
        outcomes.ForEach(queued.Add);
        queued.Add(Item(WriteKind.Urgent, Kb));
        var second = Fill(queued);

        Assert.Equal(2, first.Count); // the append and one split: a split alone fills the share, yet always progresses
        Assert.Equal(2, second.Count); // the next split still comes first, in arrival order
        Assert.Same(splits[1], second[1]);
    }

    [Fact]
    public void Small_statements_share_a_batch_with_appends_up_to_a_bound()
    {
        var queued = new WriteBatches();
        Enumerable.Range(0, 200).Select(_ => Item(WriteKind.SingleStatement, 0)).ToList().ForEach(queued.Add);
        queued.Add(Item(WriteKind.Urgent, Kb));

        var batch = Fill(queued);

        Assert.Equal(1 + 64, batch.Count);
    }

    [Fact]
    public void Without_appends_a_batch_takes_up_to_512_items_or_2_MB()
    {
        var queued = new WriteBatches();
        Enumerable.Range(0, 600).Select(_ => Item(WriteKind.SingleStatement, 0)).ToList().ForEach(queued.Add);
        Assert.Equal(512, Fill(queued).Count);

        var big = new WriteBatches();
        Enumerable.Range(0, 40).Select(_ => Item(WriteKind.Default, 70 * Kb)).ToList().ForEach(big.Add);
        Assert.Equal(30, Fill(big).Count); // the item that crosses 2 MB is the last one taken
    }

    private static List<WriteItem> Fill(WriteBatches queued)
    {
        var batch = new List<WriteItem>();
        queued.Fill(batch);
        return batch;
    }

    private static WriteItem<int> Item(WriteKind kind, long bytes) => new(_ => 0, bytes, kind);
}
