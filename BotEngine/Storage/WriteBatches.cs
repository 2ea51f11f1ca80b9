using System.Diagnostics;

namespace BotEngine.Storage;

/// <summary>
/// The writer's queues and how each group commit is filled from them. Webhook appends (urgent) go first; other work
/// fills what room is left, in the order it came. While webhooks arrive, that room is small: a batch waits for all of
/// its items before its commit, and one 70 KB body's split is 100 inserts into an indexed table, so a full batch of
/// other work kept appends waiting hundreds of ms (1.2 s p99 at half load, 70 KB: BENCHMARKS.md).
/// </summary>
internal sealed class WriteBatches
{
    public const int MaxBatchItems = 512;

    // A batch's commit makes everyone in it wait for all of it: 2 MB keeps that to a few ms of writing, yet is far
    // above what one fsync needs to pay off (64 webhooks of 1 KB; 28 of 70 KB).
    public const long MaxBatchBytes = 2 * 1024 * 1024;

    // While webhooks arrive (one was appended in the last 100 ms): other work per batch. Claims and outcomes are one
    // small statement each; a split carries its body's size, so one 70 KB split fills the room alone.
    private const int BusyOtherItems = 64;
    private const long BusyOtherBytes = 64 * 1024;
    private static readonly long BusyWindow = Stopwatch.Frequency / 10;

    private readonly Queue<WriteItem> _urgent = new();
    private readonly Queue<WriteItem> _waiting = new();
    private long _lastUrgent = long.MinValue / 2;

    public bool IsEmpty => _urgent.Count == 0 && _waiting.Count == 0;

    public void Add(WriteItem item)
    {
        if (item.Kind == WriteKind.Urgent)
        {
            _urgent.Enqueue(item);
            _lastUrgent = Stopwatch.GetTimestamp();
        }
        else
        {
            _waiting.Enqueue(item);
        }
    }

    /// <summary>Moves the next batch's items into <paramref name="batch"/>: every waiting append first.</summary>
    public void Fill(List<WriteItem> batch)
    {
        var appendBytes = Take(batch, _urgent, MaxBatchItems, MaxBatchBytes);
        var busy = Stopwatch.GetTimestamp() - _lastUrgent < BusyWindow;
        Take(batch, _waiting,
            busy ? Math.Min(MaxBatchItems, batch.Count + BusyOtherItems) : MaxBatchItems,
            busy ? BusyOtherBytes : MaxBatchBytes - appendBytes);
    }

    /// <summary>Everything still queued (the writer stopped: each is failed).</summary>
    public IEnumerable<WriteItem> Drain() => _urgent.Concat(_waiting);

    // Takes items while the batch holds fewer than maxItems and the bytes taken stay under maxBytes. The first item is
    // taken whatever its size: a big item, or other work behind a full share of appends, still gets its turn.
    private static long Take(List<WriteItem> batch, Queue<WriteItem> from, int maxItems, long maxBytes)
    {
        long taken = 0;
        var first = true;
        while (batch.Count < maxItems && (taken < maxBytes || first) && from.TryDequeue(out var item))
        {
            batch.Add(item);
            taken += item.SizeHint;
            first = false;
        }

        return taken;
    }
}
