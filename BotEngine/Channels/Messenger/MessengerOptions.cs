using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Facebook Messenger channel settings (section <c>Channels:Messenger</c>). Enabled when the app secret and the page
/// access token are set; both endpoints answer 404 otherwise.
/// </summary>
public sealed class MessengerOptions : IValidatableObject
{
    public const string Section = "Channels:Messenger";

    /// <summary>The Meta app's secret: the key of <c>X-Hub-Signature-256</c>; from the environment.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The page access token the Send API is called with (Authorization header); from the environment.</summary>
    public string? PageAccessToken { get; set; }

    /// <summary>The token typed into the app's webhook settings; the verify handshake must echo only for it.</summary>
    public string? VerifyToken { get; set; }

    [Required, Url] public string ApiBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>Graph API version in the Send API's path. v25.0 is the one Meta's Send API reference shows (2026);
    /// a version stays available about two years after its release.</summary>
    [Required, RegularExpression(@"^v[0-9]+\.[0-9]+$")] public string GraphVersion { get; set; } = "v25.0";

    /// <summary>Timeout of one HTTP attempt to the Send API.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrEmpty(AppSecret) && !string.IsNullOrEmpty(PageAccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Meta will not subscribe the webhook without a successful handshake, and that needs the token.
        if (Enabled && string.IsNullOrEmpty(VerifyToken))
        {
            yield return new ValidationResult(
                "Channels:Messenger:VerifyToken must be set when AppSecret and PageAccessToken are (type the same value "
                + "into the app's webhook settings)", [nameof(VerifyToken)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class MessengerOptionsValidator : IValidateOptions<MessengerOptions>;
