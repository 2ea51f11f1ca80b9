using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line;

/// <summary>LINE channel settings (section <c>Channels:Line</c>). The webhook is enabled when the secret is set.</summary>
public sealed class LineOptions
{
    public const string Section = "Channels:Line";

    /// <summary>LINE's documented rate for reply, push and most Messaging API endpoints, per channel.</summary>
    public const int DefaultRequestsPerSecond = 2_000;

    /// <summary>Secret for <c>X-Line-Signature</c>; from the environment, never from a committed file.</summary>
    public string? ChannelSecret { get; set; }

    /// <summary>Bearer token for the Messaging API; from the environment.</summary>
    public string? ChannelAccessToken { get; set; }

    [Required, Url] public string ApiBaseUrl { get; set; } = "https://api.line.me";

    /// <summary>How long after receipt a reply token is still used; later answers are pushed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan ReplyWindow { get; set; } = TimeSpan.FromSeconds(50);

    public LineDeliveryMode DeliveryMode { get; set; } = LineDeliveryMode.ReplyFirst;

    /// <summary>Timeout of one HTTP attempt to the Messaging API.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")] public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Send planner: an answer waits this long for the next identical answer to another user, to share one multicast;
    /// each one that comes restarts the wait (up to 500 users, or <see cref="CoalesceMaxWait"/>). Zero: no coalescing,
    /// every answer is pushed alone.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>No answer waits longer than this for others to share its multicast, however many keep coming.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan CoalesceMaxWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the month's message quota is read (<c>botengine_line_quota_remaining</c>); after LINE said the
    /// quota is used up, pushes and multicasts wait at least this long before they are tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")] public TimeSpan QuotaCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Requests per second to each Messaging API endpoint (multicast: a tenth). LINE allows 2,000 for reply and push
    /// (https://developers.line.biz/en/reference/messaging-api/#rate-limits); only a test double in front of the engine,
    /// such as the benchmarks' fake API, warrants more.
    /// </summary>
    [Range(250, 1_000_000)] public int RequestsPerSecond { get; set; } = DefaultRequestsPerSecond;

    public bool Enabled => !string.IsNullOrEmpty(ChannelSecret);

    /// <summary>The Messaging API is called only with a token (the quota reader needs one too).</summary>
    public bool CanCallApi => Enabled && !string.IsNullOrEmpty(ChannelAccessToken);
}

public enum LineDeliveryMode
{
    /// <summary>Reply with the event's token while it is fresh (free), else push.</summary>
    ReplyFirst,

    /// <summary>Always push; identical answers to users are coalesced into multicasts (billed per recipient).</summary>
    Batched,
}

[OptionsValidator]
internal sealed partial class LineOptionsValidator : IValidateOptions<LineOptions>;
