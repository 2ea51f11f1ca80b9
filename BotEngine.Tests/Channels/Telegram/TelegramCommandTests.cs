using BotEngine.Operations;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Telegram;

/// <summary><c>botengine telegram set-webhook URL</c> and <c>botengine telegram status</c> against the fake Bot API.</summary>
public sealed class TelegramCommandTests : IAsyncLifetime
{
    private const string Secret = "telegram-secret_token-1";
    private FakeTelegramApi _telegram = null!;

    public async Task InitializeAsync() => _telegram = await FakeTelegramApi.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    [Fact]
    public void Set_webhook_sends_the_secret_and_the_updates_the_engine_reads_and_prints_telegrams_answer()
    {
        var (code, output, error) = Run("set-webhook", "https://bot.example.com/webhooks/telegram",
            "--drop-pending-updates", "--max-connections=20");

        Assert.True(code == 0, error);
        Assert.Contains("Telegram answered: ok: Webhook was set", output, StringComparison.Ordinal);
        var webhook = _telegram.Webhook!;
        Assert.Equal("https://bot.example.com/webhooks/telegram", webhook["url"]!.GetValue<string>());
        Assert.Equal(Secret, webhook["secret_token"]!.GetValue<string>());
        Assert.Equal(["message", "edited_message", "channel_post", "edited_channel_post", "callback_query"],
            webhook["allowed_updates"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.True(webhook["drop_pending_updates"]!.GetValue<bool>());
        Assert.Equal(20, webhook["max_connections"]!.GetValue<int>());
        AssertNoSecrets(output + error);
    }

    [Fact]
    public void A_refused_webhook_prints_telegrams_reason_and_exits_1()
    {
        var (code, output, error) = Run("set-webhook", "http://bot.example.com/webhooks/telegram");

        Assert.Equal(1, code);
        Assert.Contains("HTTPS url must be provided", error, StringComparison.Ordinal);
        Assert.Null(_telegram.Webhook);
        AssertNoSecrets(output + error);
    }

    [Fact]
    public void Status_prints_the_webhook_info()
    {
        _telegram.PendingUpdates = 3;
        Run("set-webhook", "https://bot.example.com/webhooks/telegram");

        var (code, output, error) = Run("status");

        Assert.True(code == 0, error);
        Assert.Contains("url: https://bot.example.com/webhooks/telegram", output, StringComparison.Ordinal);
        Assert.Contains("pending_update_count: 3", output, StringComparison.Ordinal);
        Assert.Contains("max_connections: 40", output, StringComparison.Ordinal);
        Assert.Contains("last_error_date: 2026-01-01 00:00:00Z", output, StringComparison.Ordinal);
        Assert.Contains("last_error_message: Read timeout expired", output, StringComparison.Ordinal);
        AssertNoSecrets(output + error);
    }

    [Fact]
    public void Usage_errors_exit_2_and_a_missing_token_or_an_unreachable_api_exit_1_without_printing_secrets()
    {
        var usage = EngineCommands.Run(["telegram", "set-webhook"], TextWriter.Null, TextWriter.Null);
        var unknown = EngineCommands.Run(["telegram", "delete"], TextWriter.Null, TextWriter.Null);
        using var noTokenError = new StringWriter();
        var noToken = EngineCommands.Run(["telegram", "status", "--Channels:Telegram:BotToken="], TextWriter.Null, noTokenError);
        var (unreachable, output, error) = Run(
            ["status"], $"http://127.0.0.1:{RawLoopbackServer.ClosedPort()}");

        Assert.Equal((2, 2, 1, 1), (usage, unknown, noToken, unreachable));
        Assert.Contains("BotToken is not set", noTokenError.ToString(), StringComparison.Ordinal);
        Assert.Contains("no answer from 127.0.0.1", error, StringComparison.Ordinal);
        AssertNoSecrets(output + error);
    }

    private (int Code, string Output, string Error) Run(params string[] args) => Run(args, _telegram.BaseUrl);

    private static (int Code, string Output, string Error) Run(string[] args, string apiBaseUrl)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = EngineCommands.Run(["telegram", .. args, $"--Channels:Telegram:BotToken={FakeTelegramApi.Token}",
            $"--Channels:Telegram:SecretToken={Secret}", $"--Channels:Telegram:ApiBaseUrl={apiBaseUrl}"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void AssertNoSecrets(string printed)
    {
        Assert.DoesNotContain(FakeTelegramApi.Token, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, printed, StringComparison.Ordinal);
    }
}
