using BotEngine.Tests.Channels.Messenger;
using BotEngine.Tests.Channels.Telegram;

namespace BotEngine.Tests.Channels.AppSuite;

// One class per channel, so xunit runs the three channels' cases in parallel.

public sealed class LineAppSuite : ChannelAppSuite
{
    protected override Task<ChannelDriver> StartDriverAsync() => Task.FromResult<ChannelDriver>(new LineDriver(Line));
}

public sealed class TelegramAppSuite : ChannelAppSuite
{
    protected override async Task<ChannelDriver> StartDriverAsync() => new TelegramDriver(await FakeTelegramApi.StartAsync());
}

public sealed class MessengerAppSuite : ChannelAppSuite
{
    protected override async Task<ChannelDriver> StartDriverAsync() => new MessengerDriver(await FakeGraphApi.StartAsync());
}
