using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Telegram;

/// <summary>Telegram channel settings (section <c>Channels:Telegram</c>). Enabled when the bot token is set.</summary>
public sealed class TelegramOptions : IValidatableObject
{
    public const string Section = "Channels:Telegram";

    /// <summary>The bot's token from BotFather; from the environment. It is part of every API URL.</summary>
    public string? BotToken { get; set; }

    /// <summary>The <c>secret_token</c> given to setWebhook, checked on every webhook; from the environment.</summary>
    public string? SecretToken { get; set; }

    [Required, Url] public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>Timeout of one HTTP attempt to the Bot API.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")] public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrEmpty(BotToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Without a secret anyone who finds the URL could post updates; Telegram sends it as a header when set.
        if (Enabled && string.IsNullOrEmpty(SecretToken))
        {
            yield return new ValidationResult(
                "Channels:Telegram:SecretToken must be set when BotToken is (pass the same value to setWebhook's secret_token)",
                [nameof(SecretToken)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class TelegramOptionsValidator : IValidateOptions<TelegramOptions>;
