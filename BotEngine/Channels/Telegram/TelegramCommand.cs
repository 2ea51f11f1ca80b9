using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// <c>botengine telegram set-webhook URL [--drop-pending-updates] [--max-connections=N]</c> calls setWebhook with the
/// configured secret token and the update types the engine reads; <c>botengine telegram status</c> prints
/// getWebhookInfo. Settings as the server reads them (appsettings.json, environment, <c>--Key=value</c>); the bot token
/// and the secret are never printed. Exit code 0 when Telegram said ok, 1 otherwise, 2 for a usage error.
/// </summary>
internal static class TelegramCommand
{
    public const string Name = "telegram";

    public static ChannelCommand Command { get; } = new(Name,
        "  botengine telegram set-webhook URL    register the webhook with Telegram (with the secret token)\n" +
        "  botengine telegram status             what Telegram knows of the webhook (getWebhookInfo)\n", Run);

    // What TelegramUpdateParser reads; any other update would only be stored and dead-lettered.
    private static readonly string[] AllowedUpdates =
        ["message", "edited_message", "channel_post", "edited_channel_post", "callback_query"];

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (TelegramCommandLine.Parse(args) is not { } line)
        {
            error.WriteLine("usage: botengine telegram set-webhook URL [--drop-pending-updates] [--max-connections=N]");
            error.WriteLine("       botengine telegram status");
            error.WriteLine("  settings as for the server: Channels__Telegram__BotToken and __SecretToken in the environment");
            return 2;
        }

        var options = line.Options();
        if (!options.Enabled)
        {
            error.WriteLine("telegram: Channels:Telegram:BotToken is not set (environment: Channels__Telegram__BotToken)");
            return 1;
        }

        if (line.Url is not null && string.IsNullOrEmpty(options.SecretToken))
        {
            error.WriteLine("telegram: Channels:Telegram:SecretToken is not set: the engine refuses webhooks without it");
            return 1;
        }

        using var http = new HttpClient
        {
            BaseAddress = new Uri(options.ApiBaseUrl.TrimEnd('/') + "/"),
            Timeout = options.RequestTimeout,
        };
        try
        {
            return line.Url is { } url
                ? await SetWebhookAsync(http, options, url, line, output, error)
                : await StatusAsync(http, options, output, error);
        }
        // Neither message holds the request's address (which holds the token): only the host and the timeout.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            error.WriteLine($"telegram: no answer from {http.BaseAddress!.Host}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> SetWebhookAsync(HttpClient http, TelegramOptions options, string url,
        TelegramCommandLine line, TextWriter output, TextWriter error)
    {
        var body = new JsonObject
        {
            ["url"] = url,
            ["secret_token"] = options.SecretToken,
            ["allowed_updates"] = new JsonArray([.. AllowedUpdates.Select(u => JsonValue.Create(u))]),
            ["drop_pending_updates"] = line.DropPendingUpdates,
        };
        if (line.MaxConnections is { } max) body["max_connections"] = max;
        output.WriteLine($"setWebhook {url} (secret token set; updates: {string.Join(", ", AllowedUpdates)}"
            + (line.DropPendingUpdates ? "; dropping pending updates" : "")
            + (line.MaxConnections is { } m ? $"; max_connections {m}" : "") + ")");
        var answer = await CallAsync(http, options, "setWebhook", body);
        return Report(answer, output, error);
    }

    private static async Task<int> StatusAsync(
        HttpClient http, TelegramOptions options, TextWriter output, TextWriter error)
    {
        var answer = await CallAsync(http, options, "getWebhookInfo", new JsonObject());
        if (answer?["ok"]?.GetValue<bool>() != true || answer["result"] is not JsonObject info)
        {
            return Report(answer, output, error);
        }

        var url = info["url"]?.GetValue<string>();
        output.WriteLine("url: " + (string.IsNullOrEmpty(url) ? "(none: run botengine telegram set-webhook URL)" : url));
        foreach (var field in new[] { "pending_update_count", "max_connections", "ip_address", "has_custom_certificate" })
        {
            if (info[field] is { } value) output.WriteLine($"{field}: {value}");
        }

        if (info["allowed_updates"] is JsonArray updates)
        {
            output.WriteLine($"allowed_updates: {string.Join(", ", updates)}");
        }

        foreach (var field in new[] { "last_error_date", "last_synchronization_error_date" })
        {
            if (info[field]?.GetValue<long>() is { } seconds)
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
                output.WriteLine($"{field}: {at.ToString("u", CultureInfo.InvariantCulture)}");
            }
        }

        if (info["last_error_message"] is { } message) output.WriteLine($"last_error_message: {message}");
        return 0;
    }

    private static async Task<JsonNode?> CallAsync(
        HttpClient http, TelegramOptions options, string method, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        // "./": a token ("123:abc") would otherwise read as a URI scheme.
        using var response = await http.PostAsync(new Uri($"./bot{options.BotToken}/{method}", UriKind.Relative), content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    // {"ok":true,"result":true,"description":"Webhook was set"}
    // or {"ok":false,"error_code":401,"description":"Unauthorized"}.
    private static int Report(JsonNode? answer, TextWriter output, TextWriter error)
    {
        var description = answer?["description"]?.GetValue<string>();
        if (answer?["ok"]?.GetValue<bool>() == true)
        {
            output.WriteLine($"Telegram answered: ok{(description is null ? "" : ": " + description)}");
            return 0;
        }

        var reason = description ?? answer?.ToJsonString() ?? "(no body)";
        error.WriteLine($"Telegram answered: error {answer?["error_code"]}: {reason}");
        return 1;
    }
}
