using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line;

/// <summary>LINE channel settings (section <c>Channels:Line</c>). The webhook is enabled when the secret is set.</summary>
public sealed class LineOptions
{
    public const string Section = "Channels:Line";

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

    public bool Enabled => !string.IsNullOrEmpty(ChannelSecret);
}

public enum LineDeliveryMode
{
    /// <summary>Reply with the event's token while it is fresh (free), else push.</summary>
    ReplyFirst,

    /// <summary>Always push; identical pushes may be coalesced into multicasts (billed per recipient).</summary>
    Batched,
}

[OptionsValidator]
internal sealed partial class LineOptionsValidator : IValidateOptions<LineOptions>;
