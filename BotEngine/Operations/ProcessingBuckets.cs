namespace BotEngine.Operations;

/// <summary>
/// The buckets of <c>botengine_processing_seconds</c>, counted with <see cref="Interlocked"/> so the dashboard can
/// read them (prometheus-net does not expose a histogram's buckets): one binary search and one increment per event.
/// </summary>
internal sealed class ProcessingBuckets
{
    private readonly long[] _counts;

    public ProcessingBuckets(double[] upperBounds)
    {
        UpperBounds = upperBounds;
        _counts = new long[upperBounds.Length + 1]; // the last one is +Inf
    }

    /// <summary>Finite upper bounds in seconds, ascending.</summary>
    public double[] UpperBounds { get; }

    public void Observe(double seconds)
    {
        var index = Array.BinarySearch(UpperBounds, seconds);
        Interlocked.Increment(ref _counts[index >= 0 ? index : ~index]);
    }

    /// <summary>Non-cumulative counts per bucket, +Inf last.</summary>
    public long[] Read()
    {
        var copy = new long[_counts.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Interlocked.Read(ref _counts[i]);
        return copy;
    }

    /// <summary>
    /// The q-quantile of the observations counted in <paramref name="counts"/> (non-cumulative, as <see cref="Read"/>
    /// gives, usually the difference of two reads), interpolated linearly inside its bucket as Prometheus's
    /// <c>histogram_quantile</c> does; null without observations. Past the last finite bound it is that bound.
    /// </summary>
    public double? Quantile(long[] counts, double q)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Sum();
        if (total == 0) return null;
        var rank = q * total;
        long below = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (below + counts[i] >= rank && counts[i] > 0)
            {
                if (i == UpperBounds.Length) return UpperBounds[^1];
                var lower = i == 0 ? 0 : UpperBounds[i - 1];
                return lower + ((UpperBounds[i] - lower) * (rank - below) / counts[i]);
            }

            below += counts[i];
        }

        return UpperBounds[^1];
    }
}
