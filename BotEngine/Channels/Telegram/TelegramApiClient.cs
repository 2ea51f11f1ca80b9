using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotEngine.Outbound.Outage;
using BotEngine.Outbound.Transport;

namespace BotEngine.Channels.Telegram;

/// <summary>The Bot API's <c>sendMessage</c> and <c>answerCallbackQuery</c>, one HTTP attempt per call; every answer
/// becomes a <see cref="SendOutcome"/>.</summary>
internal interface ITelegramApi
{
    Task<SendOutcome> SendMessageAsync(string chatId, OutboundMessage message, CancellationToken ct);

    /// <summary>Tells Telegram a tapped inline button was handled, so its progress indicator stops.</summary>
    Task<SendOutcome> AnswerCallbackQueryAsync(string callbackQueryId, CancellationToken ct);
}

/// <remarks>The bot token is part of every URL, so this client's HttpClient logs nothing (see registration).</remarks>
internal sealed class TelegramApiClient(
    HttpClient http, Microsoft.Extensions.Options.IOptions<TelegramOptions> options, PlatformCircuits circuits)
    : ITelegramApi
{
    private readonly PlatformCall _call = new(http, circuits, TelegramChannel.Id.Name);

    public Task<SendOutcome> SendMessageAsync(string chatId, OutboundMessage message, CancellationToken ct) =>
        CallAsync("sendMessage", JsonSerializer.SerializeToUtf8Bytes(new SendMessageRequest(chatId, message.Text,
            TelegramMarkup.For(message)), TelegramJson.Default.SendMessageRequest), chatId, ct);

    public Task<SendOutcome> AnswerCallbackQueryAsync(string callbackQueryId, CancellationToken ct) =>
        CallAsync("answerCallbackQuery", JsonSerializer.SerializeToUtf8Bytes(
            new AnswerCallbackQueryRequest(callbackQueryId), TelegramJson.Default.AnswerCallbackQueryRequest), null, ct);

    private async Task<SendOutcome> CallAsync(string method, byte[] body, string? chatId, CancellationToken ct)
    {
        var what = "telegram " + method;
        using var content = new MarkedContent(body, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"./bot{options.Value.BotToken}/{method}")
        {
            Content = content,
        };
        if (chatId is not null) request.Options.Set(TelegramRateLimits.ChatKey, chatId);
        return await _call.SendAsync(request, what, (response, token) => ToOutcomeAsync(response, what, token), null, ct);
    }

    private static async Task<SendOutcome> ToOutcomeAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return SendOutcome.Ok;
        }

        var error = await ReadErrorAsync(response, ct);
        var text = $"{what} {(int)response.StatusCode}: {error?.Description ?? response.ReasonPhrase}";
        return response.StatusCode switch
        {
            // Telegram says how long to wait in the body (parameters.retry_after, seconds), not in a header.
            HttpStatusCode.TooManyRequests => new SendOutcome.RetryLater(
                error?.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null, text),
            >= HttpStatusCode.InternalServerError => new SendOutcome.RetryLater(null, text),
            _ => new SendOutcome.Rejected(text),
        };
    }

    private static async Task<ErrorResponse?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(TelegramJson.Default.ErrorResponse, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Names the call in <c>botengine_outbound_calls_total</c>: the method after the token, as <c>telegram.sendMessage</c>.</summary>
    public static string Endpoint(Uri? uri)
    {
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : "";
        return path.EndsWith("/sendMessage", StringComparison.Ordinal) ? "telegram.sendMessage"
            : path.EndsWith("/answerCallbackQuery", StringComparison.Ordinal) ? "telegram.answerCallbackQuery"
            : "telegram.other";
    }
}

internal sealed record SendMessageRequest(
    [property: JsonPropertyName("chat_id")] string ChatId,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("reply_markup")] ReplyMarkup? ReplyMarkup);

internal sealed record AnswerCallbackQueryRequest([property: JsonPropertyName("callback_query_id")] string CallbackQueryId);

internal sealed record ErrorResponse(
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("parameters")] ErrorParameters? Parameters);

internal sealed record ErrorParameters([property: JsonPropertyName("retry_after")] int? RetryAfter);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(AnswerCallbackQueryRequest))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class TelegramJson : JsonSerializerContext;
