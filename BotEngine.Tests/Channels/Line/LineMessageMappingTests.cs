using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotEngine.Tests.Channels.Line;

/// <summary>Quick replies and templates through <see cref="LineApiClient"/> to the spec-strict fake.</summary>
public sealed class LineMessageMappingTests : IAsyncLifetime
{
    private FakeLineApi _line = null!;
    private IHost? _host;

    public async Task InitializeAsync() => _line = await FakeLineApi.StartAsync();

    public async Task DisposeAsync()
    {
        _host?.Dispose();
        await _line.DisposeAsync();
    }

    [Fact]
    public async Task Quick_replies_become_message_and_postback_actions()
    {
        var message = new OutboundMessage("How many?", [new QuickReply("Two", Text: "2"), new QuickReply("Later", Data: "later")]);

        var outcome = await Client().ReplyAsync("t1", [message], default);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        var items = Assert.Single(_line.Accepted).Message["quickReply"]!["items"]!.AsArray();
        Assert.Equal("""{"type":"action","action":{"type":"message","label":"Two","text":"2"}}""", items[0]!.ToJsonString());
        Assert.Equal("""{"type":"action","action":{"type":"postback","label":"Later","data":"later","displayText":"Later"}}""",
            items[1]!.ToJsonString());
    }

    [Fact]
    public async Task Buttons_and_confirm_become_template_messages_with_alt_text()
    {
        var buttons = new OutboundMessage("Pick one", Template: new MessageTemplate(MessageTemplate.Buttons,
            [new TemplateAction("A"), new TemplateAction("B", Data: "b")], Title: "Menu"));
        var confirm = new OutboundMessage(new string('x', 300), Template: new MessageTemplate(MessageTemplate.Confirm,
            [new TemplateAction("Yes", Data: "y"), new TemplateAction("No", Text: "no")]));

        var outcome = await Client().PushAsync("U1", [buttons, confirm], Guid.NewGuid(), default);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        Assert.Equal(["template", "template"], _line.Accepted.Select(m => m.Type));
        var first = _line.Accepted[0].Message;
        Assert.Equal(("Pick one", "buttons", "Menu"), (first["altText"]!.GetValue<string>(),
            first["template"]!["type"]!.GetValue<string>(), first["template"]!["title"]!.GetValue<string>()));
        Assert.Equal("message", first["template"]!["actions"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(240, _line.Accepted[1].Message["template"]!["text"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Fake_refuses_a_confirm_template_without_exactly_two_actions()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_line.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _line.AccessToken);
        using var body = new StringContent("""
            {"replyToken":"t","messages":[{"type":"template","altText":"?","template":
              {"type":"confirm","text":"Sure?","actions":[{"type":"message","label":"Yes","text":"yes"}]}}]}
            """, System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(new Uri("v2/bot/message/reply", UriKind.Relative), body);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("messages[0].template.actions", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private ILineApi Client()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Channels:Line:ApiBaseUrl"] = _line.BaseUrl,
            ["Channels:Line:ChannelAccessToken"] = _line.AccessToken,
        });
        builder.AddBotEngineOptions();
        builder.AddLine();
        _host = builder.Build();
        return _host.Services.GetRequiredService<ILineApi>();
    }
}
