using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotEngine.Outbound;
using Polly.Timeout;

namespace BotEngine.Channels.Telegram;

/// <summary>The Bot API's <c>sendMessage</c>, one HTTP attempt per call; every answer becomes a <see cref="SendOutcome"/>.</summary>
internal interface ITelegramApi
{
    Task<SendOutcome> SendMessageAsync(string chatId, OutboundMessage message, CancellationToken ct);
}

/// <remarks>The bot token is part of every URL, so this client's HttpClient logs nothing (see registration).</remarks>
internal sealed class TelegramApiClient(HttpClient http, Microsoft.Extensions.Options.IOptions<TelegramOptions> options)
    : ITelegramApi
{
    public async Task<SendOutcome> SendMessageAsync(string chatId, OutboundMessage message, CancellationToken ct)
    {
        var body = new SendMessageRequest(chatId, message.Text, TelegramMarkup.For(message));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"./bot{options.Value.BotToken}/sendMessage")
        {
            Content = JsonContent.Create(body, TelegramJson.Default.SendMessageRequest),
        };
        try
        {
            using var response = await http.SendAsync(request, ct);
            return await ToOutcomeAsync(response, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException e)
        {
            return new SendOutcome.Unknown($"telegram sendMessage: no answer within {Operations.Durations.Readable(e.Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome.Unknown($"telegram sendMessage: {e.Message}");
        }
    }

    private static async Task<SendOutcome> ToOutcomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return SendOutcome.Ok;
        }

        var error = await ReadErrorAsync(response, ct);
        var text = $"telegram sendMessage {(int)response.StatusCode}: {error?.Description ?? response.ReasonPhrase}";
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
}

internal sealed record SendMessageRequest(
    [property: JsonPropertyName("chat_id")] string ChatId,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("reply_markup")] ReplyMarkup? ReplyMarkup);

internal sealed record ErrorResponse(
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("parameters")] ErrorParameters? Parameters);

internal sealed record ErrorParameters([property: JsonPropertyName("retry_after")] int? RetryAfter);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class TelegramJson : JsonSerializerContext;
