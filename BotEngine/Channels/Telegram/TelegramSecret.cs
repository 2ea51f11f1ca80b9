using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Telegram;

/// <summary>Checks <c>X-Telegram-Bot-Api-Secret-Token</c> in constant time.</summary>
internal sealed class TelegramSecret(IOptions<TelegramOptions> options)
{
    public const string Header = "X-Telegram-Bot-Api-Secret-Token";

    public bool IsValid(string? header)
    {
        var secret = options.Value.SecretToken;
        return !string.IsNullOrEmpty(secret) && header is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(secret));
    }
}
