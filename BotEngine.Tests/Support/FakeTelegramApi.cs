using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Support;

/// <summary>The Bot API's sendMessage on loopback: checks the token in the path, records what it accepts.</summary>
public sealed class FakeTelegramApi : IAsyncDisposable
{
    public const string Token = "123456:fake-telegram-bot-token";
    private readonly List<(string ChatId, JsonNode Body)> _sent = [];
    private readonly Lock _gate = new();
    private WebApplication _app = null!;
    private int _throttleNext;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<(string ChatId, JsonNode Body)> Sent { get { lock (_gate) return _sent.ToArray(); } }

    public int Throttled { get; private set; }

    /// <summary>The next <paramref name="count"/> requests answer 429 with parameters.retry_after = 1.</summary>
    public void ThrottleNext(int count) { lock (_gate) _throttleNext = count; }

    public static async Task<FakeTelegramApi> StartAsync()
    {
        var fake = new FakeTelegramApi();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        fake._app = builder.Build();
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    public async Task WaitForSentAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Sent.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Sent.Count} of {count} messages sent after {timeout}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path != $"/bot{Token}/sendMessage")
        {
            await Answer(http, 404, new JsonObject { ["ok"] = false, ["error_code"] = 404, ["description"] = "Not Found" });
            return;
        }

        var body = await JsonNode.ParseAsync(http.Request.Body);
        lock (_gate)
        {
            if (_throttleNext > 0)
            {
                _throttleNext--;
                Throttled++;
            }
            else
            {
                _sent.Add((body!["chat_id"]!.GetValue<string>(), body));
                body = null;
            }
        }

        await (body is null
            ? Answer(http, 200, new JsonObject { ["ok"] = true, ["result"] = new JsonObject { ["message_id"] = 1 } })
            : Answer(http, 429, new JsonObject
            {
                ["ok"] = false, ["error_code"] = 429, ["description"] = "Too Many Requests: retry after 1",
                ["parameters"] = new JsonObject { ["retry_after"] = 1 },
            }));
    }

    private static async Task Answer(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(JsonSerializerOptions.Default));
    }
}
