using BotEngine.Outbound.Outage;
using BotEngine.Queue;

namespace BotEngine.Dashboard;

/// <summary>
/// <c>GET /admin/api/platforms</c>: what each platform's state means for sending (paused: its API unreachable or
/// its quota used up; figures such as the quota left), and how many answers were counted as delivered without
/// proof (uncertain, within the retention).
/// </summary>
internal sealed record PlatformStatusView(IReadOnlyList<PlatformNoticeView> Notices, long Uncertain)
{
    public static async Task<PlatformStatusView> ReadAsync(
        IEnumerable<IPlatformStatus> platforms, IEventStore events, CancellationToken ct)
    {
        long uncertain;
        try
        {
            uncertain = await events.CountUncertainAsync(ct);
        }
#pragma warning disable CA1031 // A busy or full disk must not break the page: the count shows as -1.
        catch (Exception)
#pragma warning restore CA1031
        {
            uncertain = -1;
        }

        return new PlatformStatusView([.. platforms.SelectMany(p => p.Notices())
            .Select(n => new PlatformNoticeView(n.Channel, n.Kind, n.Degraded, n.Text, n.Since))], uncertain);
    }
}

internal sealed record PlatformNoticeView(string Channel, string Kind, bool Paused, string Text, DateTimeOffset? Since);
