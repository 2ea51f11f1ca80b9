using System.Text.Json;
using BotEngine.Channels;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Messenger.Dto;

namespace BotEngine.Tests.Channels.Messenger;

public sealed class MessengerMessagesTests
{
    [Fact]
    public void Text_with_quick_replies_becomes_text_and_quick_replies_with_payloads()
    {
        var message = new OutboundMessage("How many?", [new QuickReply("two", Text: "2"), new QuickReply("Menu", Data: "menu")]);

        var json = Json(MessengerMessages.ToSend(message));

        Assert.Equal(
            """{"text":"How many?","quick_replies":[{"content_type":"text","title":"two","payload":"botengine.text:2"},{"content_type":"text","title":"Menu","payload":"menu"}]}""",
            json);
    }

    [Fact]
    public void Confirm_becomes_a_button_template_with_two_postback_buttons()
    {
        var message = new OutboundMessage("Book it?", Template: new MessageTemplate(MessageTemplate.Confirm,
            [new TemplateAction("Yes", Data: "booking=yes"), new TemplateAction("No", Text: "no")]));

        var send = MessengerMessages.ToSend(message);

        Assert.Null(send.Text);
        var template = send.Attachment!.Payload;
        Assert.Equal(("template", "button", "Book it?"), (send.Attachment.Type, template.TemplateType, template.Text));
        Assert.Equal([new PostbackButton("postback", "Yes", "booking=yes"), new PostbackButton("postback", "No", "botengine.text:no")],
            template.Buttons);
    }

    [Fact]
    public void Buttons_beyond_messengers_three_become_quick_replies_under_the_text()
    {
        var actions = Enumerable.Range(1, 4).Select(i => new TemplateAction($"Option {i}", Data: $"o{i}")).ToList();
        var message = new OutboundMessage("Pick one", Template: new MessageTemplate(MessageTemplate.Buttons, actions, "Menu"));

        var send = MessengerMessages.ToSend(message);

        Assert.Null(send.Attachment);
        Assert.Equal("Menu\nPick one", send.Text);
        Assert.Equal(["o1", "o2", "o3", "o4"], send.QuickReplies!.Select(q => q.Payload));
    }

    [Fact]
    public void Limits_are_kept_by_shortening_and_dropping_extra_quick_replies()
    {
        var quick = Enumerable.Range(0, 20).Select(i => new QuickReply($"a rather long label number {i}", Data: $"{i}")).ToList();
        var message = new OutboundMessage(new string('x', 3_000), quick);
        var template = new OutboundMessage(new string('y', 1_000),
            Template: new MessageTemplate(MessageTemplate.Buttons, [new TemplateAction("OK", Data: new string('d', 1_500))]));

        var send = MessengerMessages.ToSend(message);
        var buttons = MessengerMessages.ToSend(template).Attachment!.Payload;

        Assert.Equal(MessengerMessages.MaxText, send.Text!.Length);
        Assert.Equal(MessengerMessages.MaxQuickReplies, send.QuickReplies!.Count);
        Assert.All(send.QuickReplies, q => Assert.True(q.Title.Length <= 20, q.Title));
        Assert.Equal(640, buttons.Text.Length);
        Assert.Equal(1_000, buttons.Buttons[0].Payload.Length);
    }

    private static string Json(SendMessage message) => JsonSerializer.Serialize(message, SendApiJson.Default.SendMessage);
}
