using System.Text;
using BotEngine.Channels;
using Microsoft.AspNetCore.Routing;

namespace BotEngine.Tests.Channels;

public sealed class ChannelSetTests
{
    private static readonly ChannelSet Set = new([new Echo(), new Broken()]);

    [Fact]
    public void A_body_goes_to_its_own_channel_s_parser()
    {
        var parsed = Set.Parse("echo", Encoding.UTF8.GetBytes("hello"));

        Assert.Equal("hello", Assert.Single(parsed.Events).Input.Text);
        Assert.True(Set.IsKnown("echo"));
        Assert.False(Set.IsKnown("fax"));
    }

    [Fact]
    public void A_body_of_an_unknown_channel_or_a_parser_that_throws_is_one_malformed_event()
    {
        var unknown = Assert.Single(Set.Parse("fax", [1, 2]).Malformed);
        var thrown = Assert.Single(Set.ParseStored("broken", "{\"a\":1}").Malformed);

        Assert.Equal("no parser for channel 'fax'", unknown.Error);
        Assert.Equal(("parser failed: FormatException: bad body", "{\"a\":1}"), (thrown.Error, thrown.Payload));
    }

    private sealed class Echo : IChannel
    {
        public Channel Id { get; } = new("echo");

        public ParsedBody Parse(byte[] body)
        {
            var text = Encoding.UTF8.GetString(body);
            return new([new InboundEvent(text, "u1", "u1", new ConversationInput(ConversationInput.TextKind, text), null, false,
                DateTimeOffset.UnixEpoch, text)], []);
        }

        public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks)
        {
        }

        public string Describe(IServiceProvider services) => "on";
    }

    private sealed class Broken : IChannel
    {
        public Channel Id { get; } = new("broken");

        public ParsedBody Parse(byte[] body) => throw new FormatException("bad body");

        public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks)
        {
        }

        public string Describe(IServiceProvider services) => "on";
    }
}
