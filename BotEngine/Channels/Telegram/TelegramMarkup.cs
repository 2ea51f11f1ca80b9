using System.Text.Json.Serialization;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Quick replies and template buttons as Telegram keyboards: buttons that carry postback data become an inline
/// keyboard (callback_data), buttons that only send a text become a one-time reply keyboard.
/// </summary>
internal static class TelegramMarkup
{
    public static ReplyMarkup? For(OutboundMessage message)
    {
        var buttons = (message.QuickReplies ?? []).Select(q => (q.Label, q.Text, q.Data))
            .Concat((message.Template?.Actions ?? []).Select(a => (a.Label, a.Text, a.Data)))
            .ToList();
        if (buttons.Count == 0)
        {
            return null;
        }

        if (buttons.Exists(b => b.Data is not null))
        {
            return new ReplyMarkup(
                InlineKeyboard: buttons.Select(b => new[] { new InlineButton(b.Label, b.Data ?? b.Text ?? b.Label) }).ToArray());
        }

        return new ReplyMarkup(Keyboard: [buttons.Select(b => new KeyboardButton(b.Text ?? b.Label)).ToArray()],
            OneTimeKeyboard: true, ResizeKeyboard: true);
    }
}

internal sealed record ReplyMarkup(
    [property: JsonPropertyName("inline_keyboard")] InlineButton[][]? InlineKeyboard = null,
    [property: JsonPropertyName("keyboard")] KeyboardButton[][]? Keyboard = null,
    [property: JsonPropertyName("one_time_keyboard")] bool? OneTimeKeyboard = null,
    [property: JsonPropertyName("resize_keyboard")] bool? ResizeKeyboard = null);

internal sealed record InlineButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("callback_data")] string CallbackData);

internal sealed record KeyboardButton([property: JsonPropertyName("text")] string Text);
