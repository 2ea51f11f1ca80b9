namespace BotEngine.Queue;

/// <summary>
/// Whether webhooks are arriving right now, so the pipeline can step aside for them. Each webhook request counts from
/// its first byte to its answer; the splitter and the claims ask <see cref="WaitQuietAsync"/> before taking more
/// work. While webhooks keep coming, each of them takes a small slice every <c>slice</c> instead of its full share:
/// the 200s get the CPU and the writer (a 1 KB webhook costs about 55 µs of CPU, the event behind it about ten times
/// that), and the pipeline catches up when the webhooks pause. It lags under a flood; a 200 never waits for it.
/// </summary>
internal sealed class IngestActivity(TimeProvider clock)
{
    // A webhook that just finished still counts for this long: between two requests on one connection there is no
    // request in flight for a moment, which must not open the gate to a full round of pipeline work.
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    private int _inFlight;
    private long _lastEnded;

    /// <summary>A webhook request began.</summary>
    public void Begin() => Interlocked.Increment(ref _inFlight);

    /// <summary>A webhook request was answered (whatever the answer).</summary>
    public void End()
    {
        Interlocked.Exchange(ref _lastEnded, clock.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    public bool Busy => Volatile.Read(ref _inFlight) > 0
        || (Interlocked.Read(ref _lastEnded) is var ended and not 0 && clock.GetElapsedTime(ended) < Linger);

    /// <summary>
    /// Completes at once while no webhook arrives (true); otherwise when they stop (true) or after
    /// <paramref name="slice"/> (false: the caller takes a small share of work and asks again).
    /// </summary>
    public ValueTask<bool> WaitQuietAsync(TimeSpan slice, CancellationToken ct) =>
        Busy ? new ValueTask<bool>(WaitAsync(slice, ct)) : ValueTask.FromResult(true);

    private async Task<bool> WaitAsync(TimeSpan slice, CancellationToken ct)
    {
        var start = clock.GetTimestamp();
        while (Busy)
        {
            if (clock.GetElapsedTime(start) >= slice)
            {
                return false;
            }

            await Task.Delay(Poll, clock, ct);
        }

        return true;
    }
}
