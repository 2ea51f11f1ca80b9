using System.Threading.Channels;

namespace BotEngine.Queue;

/// <summary>
/// Wakes a worker when there may be work: set by whoever adds it, awaited by the worker with a deadline so a
/// missed signal only costs one poll interval. Any number of sets before a wait make one wake-up.
/// </summary>
internal sealed class QueueSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Set() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Returns when set or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_wakeUps.Reader.TryRead(out _))
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await _wakeUps.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The deadline passed: time to poll.
        }
    }
}

/// <summary>
/// The wake-ups of the pipeline: new bodies for the splitter, new or unblocked events for delivery, timers set or
/// cancelled for the timer worker.
/// </summary>
internal sealed class QueueSignals
{
    public QueueSignal BodiesStored { get; } = new();

    public QueueSignal EventsReady { get; } = new();

    public QueueSignal TimersChanged { get; } = new();
}
