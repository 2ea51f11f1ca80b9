using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine.Outbound.Outage;

/// <summary>
/// When a platform's API counts as unreachable (keys in section <c>BotEngine</c>): at least
/// <see cref="OutageFailureThreshold"/> calls within 30 s, nine in ten of them failed (refused, DNS, TLS, timeout,
/// cut, 5xx). Sending to it then pauses, and one call every <see cref="OutageProbeInterval"/> finds out whether it is
/// back. Paused attempts do not count towards <c>BotEngine:MaxAttempts</c>.
/// </summary>
public sealed class OutageOptions
{
    public const string Section = "BotEngine";

    /// <summary>Polly's circuit breaker takes at least half a second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")] public TimeSpan OutageProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(2, 1_000_000)] public int OutageFailureThreshold { get; set; } = 5;
}

[OptionsValidator]
internal sealed partial class OutageOptionsValidator : IValidateOptions<OutageOptions>;
