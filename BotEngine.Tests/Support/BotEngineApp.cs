using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Support;

/// <summary>The whole engine on real Kestrel (loopback, a free port) with its data in a given folder.</summary>
public sealed class BotEngineApp : IAsyncDisposable
{
    public const string ChannelSecret = "test-channel-secret-0123456789abcdef";

    private readonly WebApplicationFactory<Program> _factory;

    private BotEngineApp(WebApplicationFactory<Program> factory, string dataDirectory)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
        Client = factory.CreateClient();
        Queue = new QueueFile(dataDirectory);
    }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    public QueueFile Queue { get; }

    public IServiceProvider Services => _factory.Services;

    public static BotEngineApp Start(string dataDirectory, FakeLineApi line, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["BotEngine:DataDirectory"] = dataDirectory,
            // Short steps keep retry tests fast; the backoff's shape is tested on its own.
            ["BotEngine:RetryBaseDelay"] = "00:00:00.005",
            ["BotEngine:RetryMaxDelay"] = "00:00:00.050",
            ["BotEngine:MaxAttempts"] = "20",
            ["Channels:Line:ChannelSecret"] = ChannelSecret,
            ["Channels:Line:ChannelAccessToken"] = line.AccessToken,
            ["Channels:Line:ApiBaseUrl"] = line.BaseUrl,
            ["Serilog:MinimumLevel:Default"] = Environment.GetEnvironmentVariable("BOTENGINE_TEST_LOG") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(config));
            web.ConfigureServices(s => services?.Invoke(s));
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return new BotEngineApp(factory, dataDirectory);
    }

    /// <summary>Posts a LINE webhook body, signed with the test secret unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostLineAsync(byte[] body, string? signature = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/line") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Line-Signature", signature ?? LineFixtures.Sign(ChannelSecret, body));
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
