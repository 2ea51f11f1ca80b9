using System.Globalization;
using BotEngine.Operations;
using BotEngine.Outbound.Outage;
using BotEngine.Queue;
using Microsoft.Extensions.Options;
using Prometheus;

namespace BotEngine.Channels.Line;

/// <summary>
/// The month's message quota. LINE bills pushes and multicasts per recipient (replies are free) and answers 429
/// "You have reached your monthly limit." once the target limit is reached. From such an answer on, pushes and
/// multicasts pause (replies go on) until a quota reading taken at least <see cref="LineOptions.QuotaCheckInterval"/>
/// later shows room again; <c>botengine_line_quota_remaining</c> and <c>botengine_line_quota_exhausted</c> show it.
/// </summary>
internal sealed class LineQuota : IPlatformStatus
{
    // A timer may fire a hair before its time: a reading that early still counts as the one that was due.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _interval;
    private readonly Gauge _remaining;
    private readonly Gauge _exhausted;
    private LineQuotaReading? _last;
    private DateTimeOffset? _exhaustedSince;
    private DateTimeOffset _resumeCheckAt;

    public LineQuota(TimeProvider clock, EngineMetrics metrics, IOptions<LineOptions> options)
    {
        _clock = clock;
        _interval = options.Value.QuotaCheckInterval;
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _remaining = factory.CreateGauge("botengine_line_quota_remaining",
            "LINE messages left this month (+Inf without a target limit), as last read from the Messaging API.",
            new GaugeConfiguration { SuppressInitialValue = true });
        _exhausted = factory.CreateGauge("botengine_line_quota_exhausted",
            "1 while LINE pushes and multicasts are paused because the monthly quota is used up.");
    }

    /// <summary>Set after a quota 429: the reader reads at once (to show the figures), not waiting its interval.</summary>
    public QueueSignal ReadNow { get; } = new();

    public bool Exhausted => Locked(() => _exhaustedSince is not null);

    /// <summary>When a paused push should be tried again (the next reading that may lift the pause).</summary>
    public DateTimeOffset PausedUntil => Locked(() => _resumeCheckAt);

    /// <summary>The regular interval, or less while paused: the reading that may lift the pause is due then.</summary>
    public TimeSpan UntilNextRead() => Locked(() => _exhaustedSince is null ? _interval
        : TimeSpan.FromTicks(Math.Clamp((_resumeCheckAt - _clock.GetUtcNow()).Ticks, TimeSpan.TicksPerMillisecond, _interval.Ticks)));

    public void MarkExhausted()
    {
        lock (_gate)
        {
            if (_exhaustedSince is not null) return;
            _exhaustedSince = _clock.GetUtcNow();
            _resumeCheckAt = _exhaustedSince.Value + _interval;
            _exhausted.Set(1);
        }

        ReadNow.Set();
    }

    public void Update(LineQuotaReading reading)
    {
        if (!reading.Read) return;
        lock (_gate)
        {
            _last = reading;
            _remaining.Set(reading.Remaining);
            if (_exhaustedSince is null) return;
            var now = _clock.GetUtcNow();
            if (now + Tolerance >= _resumeCheckAt && reading.Remaining > 0)
            {
                _exhaustedSince = null;
                _exhausted.Set(0);
            }
            else if (now + Tolerance >= _resumeCheckAt)
            {
                _resumeCheckAt = now + _interval;
            }
        }
    }

    public IEnumerable<PlatformNotice> Notices()
    {
        lock (_gate)
        {
            var figures = _last is { Limit: { } limit } last
                ? string.Create(CultureInfo.InvariantCulture, $"{last.Used:N0} of {limit:N0} messages sent this month")
                : _last is { } unlimited
                    ? string.Create(CultureInfo.InvariantCulture, $"{unlimited.Used:N0} messages sent this month, no limit set")
                    : null;
            if (_exhaustedSince is { } since)
            {
                return [new PlatformNotice(LineChannel.Id.Name, "quota", true, "LINE monthly message quota reached: pushes and "
                    + $"multicasts paused, replies go on{(figures is null ? "" : $" ({figures})")}", since)];
            }

            return figures is null ? [] : [new PlatformNotice(LineChannel.Id.Name, "quota", false, $"LINE quota: {figures}", null)];
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate) return read();
    }
}
