using BotEngine.Channels.Messenger;

namespace BotEngine.Tests.Channels.Messenger;

public sealed class MessengerOptionsTests
{
    [Fact]
    public void Messenger_is_on_only_with_the_app_secret_and_the_page_token()
    {
        Assert.False(new MessengerOptions { AppSecret = "s" }.Enabled);
        Assert.False(new MessengerOptions { PageAccessToken = "t" }.Enabled);
        Assert.True(new MessengerOptions { AppSecret = "s", PageAccessToken = "t" }.Enabled);
    }

    [Fact]
    public void Defaults_are_valid_and_an_enabled_channel_needs_its_verify_token()
    {
        var validator = new MessengerOptionsValidator();

        Assert.True(validator.Validate(null, new MessengerOptions()).Succeeded);
        var missing = validator.Validate(null, new MessengerOptions { AppSecret = "s", PageAccessToken = "t" });
        Assert.True(missing.Failed);
        Assert.Contains("VerifyToken", missing.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new MessengerOptions { AppSecret = "s", PageAccessToken = "t", VerifyToken = "v" }).Succeeded);
    }

    [Theory]
    [InlineData("v25.0", true)]
    [InlineData("v3.2", true)]
    [InlineData("25.0", false)]
    [InlineData("v25", false)]
    [InlineData("v25.0/../x", false)]
    public void Graph_version_must_look_like_vN_N(string version, bool valid)
    {
        Assert.Equal(valid, new MessengerOptionsValidator().Validate(null, new MessengerOptions { GraphVersion = version }).Succeeded);
    }
}
