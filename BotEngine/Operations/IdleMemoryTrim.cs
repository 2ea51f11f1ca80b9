namespace BotEngine.Operations;

/// <summary>
/// Gives memory back after a burst. The GC runs only when the process allocates, so an engine that goes quiet after
/// a burst keeps its heap as it was: a heap dump 20 s after 100,000 new conversations held 170 MB, mostly the stopped
/// conversations' actors and mailboxes, and the process stayed at about 345 MB (BENCHMARKS.md, RSS). Every 5 s this
/// looks at what was allocated: after at least <see cref="BurstBytes"/> since the last trim, a 5-s window with less
/// than <see cref="IdleBytes"/> counts as idle, and one compacting, decommitting collection runs (tens of ms on a
/// quiet process, never while work comes in).
/// </summary>
internal sealed class IdleMemoryTrim(TimeProvider clock, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    public const long BurstBytes = 256L * 1024 * 1024;
    public const long IdleBytes = 8L * 1024 * 1024;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Whether to trim now: a burst since the last trim (<paramref name="sinceTrim"/> bytes allocated), and
    /// the last window (<paramref name="lastWindow"/> bytes) quiet.</summary>
    public static bool ShouldTrim(long sinceTrim, long lastWindow) => sinceTrim >= BurstBytes && lastWindow < IdleBytes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        var trimmedAt = GC.GetTotalAllocatedBytes();
        var windowStart = trimmedAt;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                if (ShouldTrim(now - trimmedAt, now - windowStart))
                {
                    var before = Environment.WorkingSet;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    logger.LogInformation("Quiet after a burst: heap compacted, working set {Before} → {After} MB",
                        before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
                    now = GC.GetTotalAllocatedBytes();
                    trimmedAt = now;
                }

                windowStart = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
