namespace BotEngine.Outbound.Outage;

/// <summary>Something a platform's state makes worth telling an operator: an outage, a used-up quota, a figure.</summary>
internal interface IPlatformStatus
{
    IEnumerable<PlatformNotice> Notices();
}

/// <summary>
/// One line of platform status. <paramref name="Degraded"/>: sending to that platform is paused (the engine still takes
/// webhooks and will send later), so <c>/healthz</c> says Degraded; otherwise it is information only.
/// </summary>
internal sealed record PlatformNotice(string Channel, string Kind, bool Degraded, string Text, DateTimeOffset? Since);
