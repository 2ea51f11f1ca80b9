namespace BotEngine.Queue;

/// <summary>What one purge pass removed; <paramref name="WalTruncated"/> is null where the store has no WAL to give back.</summary>
internal sealed record PurgeResult(long DoneEvents, long DeadEvents, long Bodies, bool? WalTruncated);

/// <summary>The purge's cutoffs, Unix milliseconds: done events and bodies before <paramref name="Retained"/>, dead
/// events before <paramref name="DeadRetained"/>.</summary>
internal sealed record PurgeCutoffs(long Now, long Retained, long DeadRetained);

/// <summary>
/// The storage mode's purge statements (SQLite <see cref="SqlitePurge"/> or PostgreSQL); <see cref="PurgeWorker"/>
/// owns the schedule and the cutoffs. Each store deletes in small chunks, so ingest never waits behind a long
/// transaction, and in this order: done events, dead events, bodies none of whose events is open or dead, then
/// multicast batches no event points at.
/// </summary>
internal interface IQueuePurge
{
    Task<PurgeResult> PurgeAsync(PurgeCutoffs cutoffs, CancellationToken ct);
}
