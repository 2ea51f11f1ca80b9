using System.Net;
using System.Net.Http.Headers;
using BotEngine.Channels.Messenger;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>An engine with Messenger on, talking to a <see cref="FakeGraphApi"/> (started with the engine).</summary>
public abstract class MessengerTest : EngineTest
{
    protected FakeGraphApi Graph { get; private set; } = null!;

    protected async Task StartMessengerAsync(params (string Key, string Value)[] settings)
    {
        Graph ??= await FakeGraphApi.StartAsync();
        // A test's own settings win over the fake's.
        Start([.. Graph.Settings.Where(s => settings.All(own => own.Key != s.Key)), .. settings]);
    }

    protected Task RestartMessengerAsync() => RestartAsync(Graph.Settings);

    /// <summary>Posts one body of these items, signed, and expects 200.</summary>
    protected async Task PostItemsAsync(params string[] items)
    {
        using var response = await PostBodyAsync(App.Client, MessengerFixtures.Body(items));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    protected static async Task<HttpResponseMessage> PostBodyAsync(HttpClient client, byte[] body, string? signature = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/messenger") { Content = content };
        request.Headers.TryAddWithoutValidation(MessengerSignature.Header,
            signature ?? MessengerSignature.Sign(FakeGraphApi.AppSecret, body));
        return await client.SendAsync(request);
    }

    /// <summary>Waits until the queue holds no open work, then gives what the Send API accepted.</summary>
    protected async Task<IReadOnlyList<GraphSent>> SentWhenSettledAsync()
    {
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "every body split and every event done or dead");
        return Graph.Sent;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Graph is not null) await Graph.DisposeAsync();
    }
}
